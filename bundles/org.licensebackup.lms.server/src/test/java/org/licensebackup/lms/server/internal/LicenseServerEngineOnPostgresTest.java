package org.licensebackup.lms.server.internal;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.licensebackup.lms.server.testing.PostgresProcess;
import org.postgresql.osgi.PGDataSourceFactory;

/**
 * Every rule of the engine again, on a real PostgreSQL reached as the server reaches it: through
 * the driver's DataSourceFactory, pooled by HikariCP. Each test has a database of its own.
 */
class LicenseServerEngineOnPostgresTest extends LicenseServerEngineTest {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static PostgresProcess postgres;

    private final int test = TESTS.incrementAndGet();
    private final Map<String, String> urls = new HashMap<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresProcess.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    LedgerDatabase openDatabase(String name) {
        String url = urls.computeIfAbsent(name, this::createDatabase);
        return LedgerDatabase.shared(url, PostgresProcess.USER, "", List.of(new PGDataSourceFactory()));
    }

    private String createDatabase(String name) {
        try {
            return postgres.createDatabase("t" + test + "_" + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }
}
