package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;

class SupportDeskTest {

    private static final KeyId FILM = KeyId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private static final KeyId SONG = KeyId.of(new byte[] {2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path folder;
    private final LicenseServerEngineTest.MutableClock clock = new LicenseServerEngineTest.MutableClock(Instant.ofEpochMilli(T0));
    private LedgerDatabase database;
    private Ledger ledger;
    private ServerMetrics metrics;
    private SupportDesk desk;

    /** The ledger the tests run on: the embedded H2 here, PostgreSQL in {@link SupportDeskOnPostgresTest}. */
    LedgerDatabase openDatabase() {
        return LedgerDatabase.embedded(folder.resolve("ledger"), H2Drivers.h2());
    }

    @BeforeEach
    void openLedger() {
        database = openDatabase();
        ledger = new Ledger(database.dataSource());
        ledger.migrate();
        metrics = new ServerMetrics(clock, new ServerMetrics.Gauges(() -> 0, () -> 0, () -> 0, 1));
        desk = new SupportDesk(database.dataSource(), 4, clock, metrics);
        // device-a got both licenses through a committed session; device-b got the film through one that ended
        rebind("s-1", "device-a", Map.of(FILM, new Ledger.LicenseFacts("A Film", "studio"), SONG, new Ledger.LicenseFacts("A Song", "label")));
        clock.advance(java.time.Duration.ofMinutes(5));
        rebind("s-2", "device-b", Map.of(FILM, new Ledger.LicenseFacts("A Film", "studio")));
        ledger.closeSession("s-2");
        ledger.compact(Long.MAX_VALUE, 100);
    }

    @AfterEach
    void closeLedger() {
        database.close();
    }

    private void rebind(String session, String device, Map<KeyId, Ledger.LicenseFacts> licenses) {
        ledger.addSession(session, device, new byte[32], new byte[32], clock.millis() + 60_000, 1);
        ledger.reserve(session, licenses, clock.millis(), devices -> {
            Map<KeyId, Set<String>> reserve = new java.util.HashMap<>();
            licenses.keySet().forEach(keyId -> reserve.put(keyId, Set.of(device)));
            return new Ledger.Decision<>(reserve, null);
        });
        ledger.commit(session, clock.millis());
    }

    @Test
    void aLicenseShowsItsTitleIssuerDevicesWithWhenAndTheAllowanceLeft() {
        SupportDesk.LicenseView film = desk.license(FILM.toString());

        assertEquals(Optional.of("A Film"), film.title());
        assertEquals(Optional.of("studio"), film.issuer());
        assertEquals(List.of(new SupportDesk.Holder("device-a", Optional.of(Instant.ofEpochMilli(T0))),
                new SupportDesk.Holder("device-b", Optional.of(Instant.ofEpochMilli(T0 + 300_000)))), film.holders());
        assertEquals(2, film.allowanceLeft());

        SupportDesk.DeviceView deviceA = desk.device("device-a");
        assertEquals(Set.of(FILM, SONG), new HashSet<>(deviceA.licenses().stream().map(SupportDesk.Held::keyId).toList()));
    }

    @Test
    void freeingASlotRemovesTheDeviceFromTheLicenseSoThatItCountsAsNewIfItComesBackAndAuditsIt() {
        SupportDesk.AuditEntry entry = desk.freeSlot("alice", FILM.toString(), "device-a", "computer died");

        assertEquals(new SupportDesk.AuditEntry(entry.id(), Instant.ofEpochMilli(clock.millis()), "alice", SupportDesk.FREE_SLOT, "device-a",
                FILM, "computer died"), entry);
        assertEquals(Set.of("device-b"), ledger.devices(List.of(FILM), clock.millis()).get(FILM));
        assertEquals(Set.of("device-a"), ledger.devices(List.of(SONG), clock.millis()).get(SONG), "the device's other license stays");
        SupportDesk.LicenseView film = desk.license(FILM.toString());
        assertEquals(3, film.allowanceLeft());
        assertEquals(List.of(entry), film.audit());
        assertEquals(List.of(entry), desk.device("device-a").history());
        assertEquals(1L, desk.today().counts().get(ServerMetrics.RELEASED_BY_OPERATOR));
    }

    @Test
    void freeingADeviceFreesEverySlotItHoldsAnAuditEntryEach() {
        List<SupportDesk.AuditEntry> entries = desk.freeDevice("bob", "device-a", "stolen laptop");

        assertEquals(Set.of(FILM, SONG), new HashSet<>(entries.stream().map(SupportDesk.AuditEntry::keyId).toList()));
        assertTrue(entries.stream().allMatch(entry -> entry.action().equals(SupportDesk.FREE_DEVICE) && entry.operator().equals("bob")));
        assertTrue(desk.device("device-a").licenses().isEmpty());
        assertEquals(2, desk.device("device-a").history().size(), "a freed device's history stays");
    }

    @Test
    void theAuditIsOnlyEverAddedTo() throws SQLException {
        desk.freeSlot("alice", FILM.toString(), "device-a", "first");
        List<List<Object>> before = auditRows();
        // what changes bindings afterwards (a restore, a device's own release, another freeing) leaves the entries as they were
        rebind("s-3", "device-a", Map.of(FILM, new Ledger.LicenseFacts("A Film", "studio")));
        ledger.release("device-a", List.of(SONG));
        desk.freeDevice("bob", "device-b", "second");

        List<List<Object>> after = auditRows();
        assertEquals(before.size() + 1, after.size());
        assertEquals(before, after.subList(0, before.size()));
    }

    @Test
    void whatCannotBeDoneIsRefusedWithItsCodeAndChangesNothing() throws SQLException {
        assertEquals(SupportException.Code.BAD_INPUT, assertThrows(SupportException.class, () -> desk.license("not base64!")).code());
        assertEquals(SupportException.Code.NOT_FOUND, assertThrows(SupportException.class,
                () -> desk.license(KeyId.of(new byte[16]).toString())).code());
        assertEquals(SupportException.Code.NOT_FOUND, assertThrows(SupportException.class, () -> desk.device("device-z")).code());
        assertEquals(SupportException.Code.BAD_INPUT, assertThrows(SupportException.class,
                () -> desk.freeSlot("alice", FILM.toString(), "device-a", "  ")).code());
        assertEquals(SupportException.Code.BAD_INPUT, assertThrows(SupportException.class,
                () -> desk.freeSlot("alice", FILM.toString(), "device a", "why")).code());
        assertEquals(SupportException.Code.BAD_INPUT, assertThrows(SupportException.class,
                () -> desk.freeSlot("alice", FILM.toString(), "device-a", "two\nlines")).code());
        assertEquals(SupportException.Code.NOT_HELD, assertThrows(SupportException.class,
                () -> desk.freeSlot("alice", SONG.toString(), "device-b", "why")).code());
        assertEquals(SupportException.Code.NOT_HELD, assertThrows(SupportException.class,
                () -> desk.freeDevice("alice", "device-z", "why")).code());

        assertEquals(List.of(), auditRows());
        assertEquals(2, desk.license(FILM.toString()).holders().size());
    }

    private List<List<Object>> auditRows() throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT entry_id, at, operator, action, device_id, key_id, reason"
                        + " FROM lms_support_audit ORDER BY entry_id");
                ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(List.of(result.getLong(1), result.getLong(2), result.getString(3), result.getString(4), result.getString(5),
                        KeyId.of(result.getBytes(6)), result.getString(7)));
            }
        }
        return rows;
    }
}
