package org.licensebackup.lms.server.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.licensebackup.testing.postgres.PostgresCluster;
import org.licensebackup.testing.postgres.PostgresProcess;
import org.postgresql.osgi.PGDataSourceFactory;

/**
 * Every rule of the engine again, on a real PostgreSQL reached as the server reaches it: through
 * the driver's DataSourceFactory, pooled by HikariCP. Each test has databases of its own.
 */
class LicenseServerEngineOnPostgresTest extends LicenseServerEngineTest {

    @RegisterExtension
    static final PostgresCluster POSTGRES = new PostgresCluster();

    private final Map<String, String> urls = new HashMap<>();

    @Override
    LedgerDatabase openDatabase(String name) {
        String url = urls.computeIfAbsent(name, POSTGRES::newDatabase);
        return LedgerDatabase.shared(url, PostgresProcess.USER, "", List.of(new PGDataSourceFactory()));
    }
}
