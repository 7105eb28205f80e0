package org.licensebackup.lms.server.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.service.jdbc.DataSourceFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The ledger's pooled connections: the embedded H2 file that this process owns, by default; or a
 * database that several server instances share, named by its JDBC URL. Either is reached through the
 * {@link DataSourceFactory} its driver registers (H2's and PostgreSQL's bundles do), pooled by
 * HikariCP: this bundle imports no driver.
 */
final class LedgerDatabase implements AutoCloseable {

    /** Connections for concurrent requests: batches hold one each for their short transaction. */
    static final int MAX_CONNECTIONS = 32;
    /** How long the first connection to a shared database may take before the server says it does not answer. */
    static final int CONNECT_PATIENCE_SECONDS = 10;
    /** How long an H2 transaction waits for another's row lock before it is run again. */
    private static final int H2_LOCK_TIMEOUT_MILLIS = 10_000;

    private final HikariDataSource pool;
    private final boolean embedded;

    private LedgerDatabase(HikariDataSource pool, boolean embedded) {
        this.pool = pool;
        this.embedded = embedded;
    }

    /**
     * The embedded H2 database at {@code file} (H2 adds {@code .mv.db}), through H2's driver among {@code drivers}.
     *
     * @throws IllegalArgumentException when H2's driver is not among them
     * @throws org.licensebackup.api.BackupRestoreException IO_ERROR when the file cannot be opened
     *     (another server holds it, say): at once
     */
    static LedgerDatabase embedded(Path file, List<DataSourceFactory> drivers) {
        String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT_MILLIS;
        return new LedgerDatabase(pooled(url, "", "", drivers), true);
    }

    /**
     * A shared database at {@code url}, through the first of {@code drivers} that accepts the URL.
     *
     * @throws IllegalArgumentException when no driver accepts the URL
     * @throws org.licensebackup.api.BackupRestoreException IO_ERROR when the database does not answer (refused, down,
     *     unknown host, wrong password) within {@value #CONNECT_PATIENCE_SECONDS} s: at once, not
     *     at the first request
     */
    static LedgerDatabase shared(String url, String user, String password, List<DataSourceFactory> drivers) {
        return new LedgerDatabase(pooled(url, user, password, drivers), false);
    }

    private static HikariDataSource pooled(String url, String user, String password, List<DataSourceFactory> drivers) {
        DataSourceFactory driver = drivers.stream().filter(factory -> accepts(factory, url)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no JDBC driver for " + url + " is installed: install one"
                        + " that registers an org.osgi.service.jdbc.DataSourceFactory beside the bundle org.osgi.service.jdbc"
                        + " (for PostgreSQL, org.postgresql.jdbc; for H2, com.h2database)"));
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!user.isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_USER, user);
            properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
        }
        DataSource direct;
        try {
            direct = driver.createDataSource(properties);
        } catch (SQLException e) {
            throw new IllegalArgumentException("database.url " + url + " cannot be used: " + e.getMessage(), e);
        }
        requireAnswer(direct, url);
        HikariConfig config = new HikariConfig();
        config.setDataSource(direct);
        config.setPoolName("lms-server-ledger");
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        // a pool that starts without its database waits for it at the first request, as the embedded one would fail there
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static void requireAnswer(DataSource direct, String url) {
        try {
            direct.setLoginTimeout(CONNECT_PATIENCE_SECONDS);
        } catch (SQLException | UnsupportedOperationException e) {
            // the driver's own connect timeout applies
        }
        try (Connection connection = direct.getConnection()) {
            connection.isValid(CONNECT_PATIENCE_SECONDS);
        } catch (SQLException e) {
            throw ServerStarts.environment("the database at " + url + " does not answer: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String text) {
        return text == null ? "no reason given" : text.lines().findFirst().orElse("").strip();
    }

    private static boolean accepts(DataSourceFactory factory, String url) {
        try {
            Driver driver = factory.createDriver(null);
            return driver.acceptsURL(url);
        } catch (SQLException e) {
            return false;
        }
    }

    DataSource dataSource() {
        return pool;
    }

    /** Connections of the pool in use now, for the operator's metrics; at most {@link #MAX_CONNECTIONS}. */
    int activeConnections() {
        // null until the pool has made its first connection
        var use = pool.getHikariPoolMXBean();
        return use == null ? 0 : use.getActiveConnections();
    }

    /** Whether only this process uses the database, so that sessions found in it belong to a process that is gone. */
    boolean embedded() {
        return embedded;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the ledger's connection pool did not close", e);
        }
    }
}
