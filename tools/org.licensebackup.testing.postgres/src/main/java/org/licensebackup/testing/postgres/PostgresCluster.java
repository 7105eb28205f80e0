package org.licensebackup.testing.postgres;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link PostgresProcess} for the tests of one class, started before the first and stopped after
 * the last, that hands each test a new database:
 * {@code @RegisterExtension static final PostgresCluster POSTGRES = new PostgresCluster();}.
 */
public final class PostgresCluster implements BeforeAllCallback, AfterAllCallback {

    private final AtomicInteger databases = new AtomicInteger();
    private PostgresProcess postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = PostgresProcess.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A new, empty database named after {@code purpose}; its JDBC URL. */
    public String newDatabase(String purpose) {
        try {
            return postgres.createDatabase(purpose + "_" + databases.incrementAndGet());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database for " + purpose, e);
        }
    }
}
