package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.licensebackup.testing.postgres.PostgresProcess;

/** A host keeps its licenses in PostgreSQL from one run to the next, and goes back to its embedded store. */
class PostgresStoreIT extends ProcessTestSupport {

    @Test
    void aHostMovesItsLicensesIntoPostgresByRestoringItsOwnBackupThereAndGoesBackToTheEmbeddedStore() throws Exception {
        Origin origin = origin("postgres-store", 20);
        Path home = origin.home();
        List<String> embedded = keyIds(home);
        long backedUp = backedUp(succeed(home, List.of(), "backup", origin.backup()));
        try (PostgresProcess postgres = PostgresProcess.start()) {
            String url = postgres.createDatabase("licenses");
            assertTrue(succeed(home, List.of(), "store", "postgres", url, "--database-user", PostgresProcess.USER).lines().stream()
                    .anyMatch(line -> line.contains("now keeps its licenses in the PostgreSQL database at " + url)));
            assertEquals(List.of(), keyIds(home), "a new database holds nothing");

            assertEquals(backedUp, restored(succeed(home, List.of(), "restore", origin.backup())));
            List<String> onPostgres = keyIds(home);
            assertEquals(backedUp, onPostgres.size());
            assertTrue(embedded.containsAll(onPostgres));

            succeed(home, List.of(), "store", "embedded");
            assertEquals(embedded, keyIds(home), "the embedded store is as it was");
        }
    }
}
