package org.licensebackup.lms.server.internal;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.licensebackup.testing.postgres.PostgresCluster;
import org.licensebackup.testing.postgres.PostgresProcess;
import org.postgresql.osgi.PGDataSourceFactory;

/** Every support rule again, on a real PostgreSQL ledger (schema version 4's audit table and times there too). */
class SupportDeskOnPostgresTest extends SupportDeskTest {

    @RegisterExtension
    static final PostgresCluster POSTGRES = new PostgresCluster();

    @Override
    LedgerDatabase openDatabase() {
        return LedgerDatabase.shared(POSTGRES.newDatabase("support_desk"), PostgresProcess.USER, "", List.of(new PGDataSourceFactory()));
    }
}
