package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.Usage;

/**
 * The device's own edge, tried as a hostile or unlucky user would, with the command line and ordinary
 * file operations: licenses given back stay given back, plays used stay used, and a lost key or store
 * is reported, never a fresh start that then overwrites a good backup. Each refusal is one line with
 * its code, and leaves the store, the device's files and every backup as they were.
 */
class DeviceEdgeIT extends ProcessTestSupport {

    @Test
    void licensesGivenBackStayGivenBackThroughOwnRestoresWithAndWithoutTheStoreAndTheLimitHolds() throws Exception {
        Origin origin = origin("released", 20);
        try (ServerProcess server = serverFor(origin)) {
            long backedUp = backUp(origin, server);
            for (int device = 1; device <= 4; device++) {
                assertEquals(backedUp, restored(restoreOn(origin.home("device-" + device), server, origin.backup())));
            }
            Path first = origin.home("device-1");
            String ownBackup = origin.root().resolve("device-1-backup").toString();
            succeed(first, server.hostOptions(), "backup", ownBackup);
            List<String> given = keyIds(first).subList(0, 10);

            List<String> release = new ArrayList<>(List.of("release"));
            release.addAll(given);
            LauncherProcess.Result released = succeed(first, server.hostOptions(), release.toArray(String[]::new));
            assertEquals(1, linesWith(released, "gave back 10 of 10 licenses"), released.lines()::toString);
            // the slots went to another device
            assertEquals(10, restored(restoreOn(origin.home("device-5"), server, origin.backup())));

            // the device's own backup, made before, restored with the store and then into a lost store
            for (boolean storeLost : new boolean[] {false, true}) {
                if (storeLost) {
                    deleteStore(first);
                }
                LauncherProcess.Result restore = succeed(first, List.of(), "restore", ownBackup);
                assertEquals(1, linesWith(restore, "rejected 10: RELEASED 10"), restore.lines()::toString);
                assertEquals(backedUp - 10, held(first));
                assertTrue(keyIds(first).stream().noneMatch(given::contains), "a license given back came back");
            }

            // after all that, a sixth device still finds every license at its limit
            refusedRestoreOn(origin.home("device-6"), server, origin.backup());
        }
    }

    @Test
    void aReleaseGivesBackWhatTheServerTookAndDeletesNothingElse() throws Exception {
        Origin origin = origin("release-not-held", 20);
        try (ServerProcess server = serverFor(origin)) {
            backUp(origin, server);
            // the origin's own licenses were issued to it, not counted by the server: nothing is freed
            List<String> own = keyIds(origin.home()).subList(0, 3);
            List<String> release = new ArrayList<>(List.of("release"));
            release.addAll(own);
            release.add("AAAAAAAAAAAAAAAAAAAAAA==");

            LauncherProcess.Result result = succeed(origin.home(), server.hostOptions(), release.toArray(String[]::new));

            assertEquals(1, linesWith(result, "gave back 0 of 4 licenses"), result.lines()::toString);
            assertEquals(1, linesWith(result, "not given back 4: NOT_RELEASED 4"), result.lines()::toString);
            assertEquals(20, held(origin.home()));
        }
    }

    @Test
    void playsUsedNeverComeBackFromAnOldOwnBackupNotEvenIntoALostStore() throws Exception {
        Origin origin = origin("plays", 20);
        String old = origin.root().resolve("old").toString();
        succeed(origin.home(), List.of(), "backup", old);
        Map<KeyId, Usage> played = playEachCounted(origin.home(), 3);
        assertFalse(played.isEmpty(), "no license with counted plays");
        succeed(origin.home(), List.of(), "backup", origin.backup());

        deleteStore(origin.home());
        succeed(origin.home(), List.of(), "restore", old);

        Map<KeyId, Usage> restored = usages(origin.home());
        played.forEach((keyId, usage) -> assertEquals(usage, restored.get(keyId), keyId::toString));
    }

    @Test
    void aMissingDeviceKeyIsRefusedEverywhereKeptAsItWasAndNewdeviceIsTheExplicitWayOut() throws Exception {
        Origin origin = origin("missing-key", 5);
        succeed(origin.home(), List.of(), "backup", origin.backup());
        String deviceId = deviceId(origin.home());
        Files.delete(origin.home().resolve("device.key"));
        Map<Path, String> before = snapshot(origin.home(), Path.of(origin.backup()));

        for (List<String> command : List.of(List.of("status"), List.of("backup", origin.backup(), "--overwrite"),
                List.of("restore", origin.backup()))) {
            LauncherProcess.Result refused = run(origin.home(), List.of(), command.toArray(String[]::new));
            assertOneErrorLine(refused, "error: BAD_DATA: the device key file " + origin.home().resolve("device.key")
                    + " is missing, but this home had a device");
        }
        assertEquals(before, snapshot(origin.home(), Path.of(origin.backup())));

        LauncherProcess.Result renewed = succeed(origin.home(), List.of(), "newdevice");
        assertEquals(1, linesWith(renewed, "the previous device's files are kept in "), renewed.lines()::toString);
        try (Stream<Path> aside = Files.walk(origin.home().resolve("previous-devices"))) {
            assertEquals(1, aside.filter(file -> file.getFileName().toString().equals("device.record")).count());
        }
        assertNotEquals(deviceId, deviceId(origin.home()));
    }

    @Test
    void aMissingDeviceRecordIsRefusedAndNoEmptyOneIsMade() throws Exception {
        Origin origin = origin("missing-record", 5);
        Files.delete(origin.home().resolve("device.record"));
        byte[] key = Files.readAllBytes(origin.home().resolve("device.key"));

        LauncherProcess.Result refused = run(origin.home(), List.of(), "list");

        assertOneErrorLine(refused, "error: BAD_DATA: the device record " + origin.home().resolve("device.record") + " is missing");
        assertFalse(Files.exists(origin.home().resolve("device.record")));
        assertArrayEquals(key, Files.readAllBytes(origin.home().resolve("device.key")));
    }

    @Test
    void aDeletedOrEmptiedStoreNeverReplacesAGoodBackupAndARestoreBringsItBack() throws Exception {
        Origin origin = origin("lost-store", 20);
        long backedUp = backedUp(succeed(origin.home(), List.of(), "backup", origin.backup()));
        Path backupFile = Path.of(origin.backup(), "licenses.lbk");
        byte[] good = Files.readAllBytes(backupFile);

        for (String loss : List.of("deleted", "emptied")) {
            long held = held(origin.home());
            if (loss.equals("deleted")) {
                deleteStore(origin.home());
            } else {
                for (Path file : storeFiles(origin.home())) {
                    Files.write(file, new byte[0]);
                }
            }
            for (List<String> command : loss.equals("deleted") ? List.of(List.of("backup", origin.backup(), "--overwrite"),
                    List.of("safetybackup")) : List.of(List.of("backup", origin.backup(), "--overwrite"))) {
                LauncherProcess.Result refused = run(origin.home(), List.of(), command.toArray(String[]::new));
                assertOneErrorLine(refused, "error: STORE_UNAVAILABLE: the license store embedded holds no licenses, but it held "
                        + held + " licenses on ");
            }
            LauncherProcess.Result listed = succeed(origin.home(), List.of(), "list");
            assertEquals(1, linesWith(listed, "note: the license store embedded holds no licenses, but it held " + held
                    + " licenses on "), listed.lines()::toString);
            LauncherProcess.Result status = succeed(origin.home(), List.of(), "status");
            assertEquals(1, linesWith(status, "license store:    embedded, 0 licenses (the license store embedded holds no"
                    + " licenses, but it held " + held + " licenses on "), status.lines()::toString);
            assertArrayEquals(good, Files.readAllBytes(backupFile), "the good backup changed");

            assertEquals(backedUp, restored(succeed(origin.home(), List.of(), "restore", origin.backup())));
            assertEquals(backedUp, held(origin.home()));
        }
    }

    private static void deleteStore(Path home) throws IOException {
        for (Path file : storeFiles(home)) {
            Files.delete(file);
        }
    }

    private String deviceId(Path home) throws IOException {
        return succeed(home, List.of(), "status").lines().stream().filter(line -> line.startsWith("device:"))
                .map(line -> line.substring("device:".length()).trim()).findFirst().orElseThrow();
    }

    /** Every file of the device, the store and the backups in {@code folders}, with its bytes (base64, to compare). */
    private static Map<Path, String> snapshot(Path... folders) throws IOException {
        Map<Path, String> files = new HashMap<>();
        for (Path folder : folders) {
            try (Stream<Path> all = Files.list(folder)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.startsWith("device.") || name.startsWith("licenses")) {
                        files.put(file, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
                    }
                }
            }
        }
        return files;
    }

    /**
     * Plays each license with counted plays {@code times} times, as a media host records plays in its
     * store (here the embedded store's SQLite file, while no launcher runs); the usage each has then.
     */
    private static Map<KeyId, Usage> playEachCounted(Path home, int times) throws SQLException {
        Map<KeyId, Usage> played = new HashMap<>();
        try (Connection store = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("licenses.db"))) {
            store.setAutoCommit(false);
            try (PreparedStatement update = store.prepareStatement("UPDATE licenses SET license = ? WHERE key_id = ?")) {
                for (License license : licenses(store)) {
                    if (license.rights().playCount() != null) {
                        Usage usage = license.usage();
                        for (int i = 0; i < times; i++) {
                            usage = usage.played(Instant.now());
                        }
                        update.setBytes(1, LicenseCodec.encode(license.withUsage(usage)));
                        update.setBytes(2, license.keyId().bytes());
                        update.executeUpdate();
                        played.put(license.keyId(), usage);
                    }
                }
            }
            store.commit();
        }
        return played;
    }

    private static Map<KeyId, Usage> usages(Path home) throws SQLException {
        Map<KeyId, Usage> usages = new HashMap<>();
        try (Connection store = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("licenses.db"))) {
            licenses(store).forEach(license -> usages.put(license.keyId(), license.usage()));
        }
        return usages;
    }

    private static List<License> licenses(Connection store) throws SQLException {
        List<License> licenses = new ArrayList<>();
        try (PreparedStatement select = store.prepareStatement("SELECT license FROM licenses");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                licenses.add(LicenseCodec.decode(rows.getBytes(1)));
            }
        }
        return licenses;
    }
}
