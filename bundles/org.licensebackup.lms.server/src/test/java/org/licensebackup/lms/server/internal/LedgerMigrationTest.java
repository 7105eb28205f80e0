package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerMigrationTest {

    @TempDir
    Path folder;
    private LedgerDatabase ledgerDatabase;
    private DataSource database;

    @BeforeEach
    void openDatabase() {
        ledgerDatabase = LedgerDatabase.embedded(folder.resolve("ledger"), H2Drivers.h2());
        database = ledgerDatabase.dataSource();
    }

    @AfterEach
    void closeDatabase() {
        ledgerDatabase.close();
    }

    @Test
    void aLedgerOfSchemaVersion1IsMigratedAndItsLiveSessionGoesOnInLane0() throws SQLException {
        run(Ledger.schemaStatements(1));
        run(java.util.List.of("INSERT INTO lms_sessions (session_id, device_id, signing_key, agreement_key, expires_at, committed,"
                + " last_sequence, last_signature, last_status, last_answer) VALUES ('s-1', 'd-1', X'01', X'02', 9000, FALSE, 3, X'0A', 200, X'0B')"));

        Ledger ledger = new Ledger(database);
        ledger.migrate();

        Ledger.SessionRow session = ledger.touchSession("s-1", 0, 1000, 9000).orElseThrow();
        assertEquals(3, session.lastSequence());
        assertArrayEquals(new byte[] {0x0A}, session.lastSignature());
        assertArrayEquals(new byte[] {0x0B}, ledger.recordedAnswer("s-1", 0, 3).orElseThrow().body());
        assertTrue(ledger.touchSession("s-1", 1, 1000, 9000).isEmpty(), "lanes other than 0 were not open before");
    }

    @Test
    void aNewSessionHasEveryLaneUnusedAndAMigratedLedgerMigratesNoMore() {
        Ledger ledger = new Ledger(database);
        ledger.migrate();
        ledger.migrate();

        ledger.addSession("s-2", "d-2", new byte[] {1}, new byte[] {2}, 9000, 2);
        assertEquals(0, ledger.touchSession("s-2", 1, 1000, 9000).orElseThrow().lastSequence());
        assertTrue(ledger.touchSession("s-2", 2, 1000, 9000).isEmpty());
    }

    @Test
    void aLedgerOfSchemaVersion3KeepsItsBindingsWhichTheSupportDeskShowsWithoutTitleOrTime() throws SQLException {
        for (int version = 1; version <= 3; version++) {
            run(Ledger.schemaStatements(version));
        }
        byte[] keyId = new byte[16];
        keyId[0] = 7;
        run(java.util.List.of("INSERT INTO lms_licenses (key_id) VALUES (X'07000000000000000000000000000000')",
                "INSERT INTO lms_bindings (key_id, device_id) VALUES (X'07000000000000000000000000000000', 'd-1')"));

        new Ledger(database).migrate();

        SupportDesk desk = new SupportDesk(database, 4, java.time.Clock.systemUTC(),
                new ServerMetrics(java.time.Clock.systemUTC(), new ServerMetrics.Gauges(() -> 0, () -> 0, () -> 0, 1)));
        SupportDesk.LicenseView license = desk.license(org.licensebackup.license.KeyId.of(keyId).toString());
        assertEquals(java.util.List.of(new SupportDesk.Holder("d-1", java.util.Optional.empty())), license.holders());
        assertTrue(license.title().isEmpty() && license.issuer().isEmpty());
        assertEquals(1, desk.freeDevice("alice", "d-1", "moved to a new schema").size());
    }

    @Test
    void aLedgerOfANewerSchemaIsRefused() throws SQLException {
        new Ledger(database).migrate();
        run(java.util.List.of("INSERT INTO lms_schema_version (version) VALUES (" + (Ledger.SCHEMA_VERSION + 1) + ")"));

        assertThrows(IllegalStateException.class, () -> new Ledger(database).migrate());
    }

    private void run(java.util.List<String> statements) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
