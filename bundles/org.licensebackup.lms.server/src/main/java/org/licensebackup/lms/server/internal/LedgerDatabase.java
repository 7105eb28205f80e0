package org.licensebackup.lms.server.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;
import org.osgi.service.jdbc.DataSourceFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The ledger's pooled connections: the embedded H2 file that this process owns, by default; or a
 * database that several server instances share, named by its JDBC URL and reached through the
 * {@link DataSourceFactory} its driver registers (PostgreSQL's does), pooled by HikariCP.
 */
final class LedgerDatabase implements AutoCloseable {

    /** Connections for concurrent requests: batches hold one each for their short transaction. */
    static final int MAX_CONNECTIONS = 32;
    /** How long the first connection to a shared database may take before the server says it does not answer. */
    static final int CONNECT_PATIENCE_SECONDS = 10;
    /** How long an H2 transaction waits for another's row lock before it is run again. */
    private static final int H2_LOCK_TIMEOUT_MILLIS = 10_000;

    private final DataSource dataSource;
    private final AutoCloseable pool;
    private final boolean embedded;
    private final IntSupplier activeConnections;

    private LedgerDatabase(DataSource dataSource, AutoCloseable pool, boolean embedded, IntSupplier activeConnections) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.embedded = embedded;
        this.activeConnections = activeConnections;
    }

    /** The embedded H2 database at {@code file} (H2 adds {@code .mv.db}). */
    static LedgerDatabase embedded(Path file) {
        JdbcConnectionPool pool = h2Pool("jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=" + H2_LOCK_TIMEOUT_MILLIS, "", "");
        return new LedgerDatabase(pool, pool::dispose, true, pool::getActiveConnections);
    }

    /**
     * A shared database at {@code url}: H2 through its own pool; any other through the first of
     * {@code drivers} that accepts the URL, pooled by HikariCP.
     *
     * @throws IllegalArgumentException when no driver accepts the URL
     * @throws org.licensebackup.api.BackupRestoreException IO_ERROR when the database does not answer (refused, down,
     *     unknown host, wrong password) within {@value #CONNECT_PATIENCE_SECONDS} s: at once, not
     *     at the first request
     */
    static LedgerDatabase shared(String url, String user, String password, List<DataSourceFactory> drivers) {
        if (url.startsWith("jdbc:h2:")) {
            JdbcConnectionPool pool = h2Pool(url, user, password);
            return new LedgerDatabase(pool, pool::dispose, false, pool::getActiveConnections);
        }
        DataSourceFactory driver = drivers.stream().filter(factory -> accepts(factory, url)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no JDBC driver for " + url + " is installed: install one"
                        + " that registers an org.osgi.service.jdbc.DataSourceFactory (for PostgreSQL, the bundles org.postgresql.jdbc"
                        + " and org.osgi.service.jdbc)"));
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
        HikariDataSource pool = new HikariDataSource(config);
        return new LedgerDatabase(pool, pool, false, () -> {
            // null until the pool has made its first connection
            var use = pool.getHikariPoolMXBean();
            return use == null ? 0 : use.getActiveConnections();
        });
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

    private static JdbcConnectionPool h2Pool(String url, String user, String password) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
        pool.setMaxConnections(MAX_CONNECTIONS);
        return pool;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Connections of the pool in use now, for the operator's metrics; at most {@link #MAX_CONNECTIONS}. */
    int activeConnections() {
        return activeConnections.getAsInt();
    }

    /** Whether only this process uses the database, so that sessions found in it belong to a process that is gone. */
    boolean embedded() {
        return embedded;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new IllegalStateException("the ledger's connection pool did not close", e);
        }
    }
}
