package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * What a device sees when the license server fails it: a clear RESTORE_SERVICE_UNAVAILABLE, a store
 * left as it was, and, on the server, nothing counted for the session that did not end well; and
 * what it does not need the server for: its own backup.
 */
class ServerFailureIT extends ProcessTestSupport {

    @Test
    void aServerKilledMidRestoreLeavesTheStoreAsItWasCountsNothingAndTheRestoreThenSucceeds() throws Exception {
        // Enough licenses that the restore is still running when its first progress line shows.
        Origin origin = origin("server-killed", 50_000);
        Path device = origin.home("device");
        long backedUp;
        try (ServerProcess server = serverFor(origin)) {
            backedUp = backUp(origin, server);
            List<String> args = new ArrayList<>(List.of("--home", device.toString()));
            args.addAll(server.hostOptions());
            args.addAll(List.of("restore", origin.backup(), "--rebind"));
            Process restore = launcher.start(args);
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(restore.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("  [device] " + line);
                    lines.add(line);
                    if (line.startsWith("restore: ") && line.contains("%")) {
                        server.kill();
                    }
                }
            }
            assertTrue(restore.waitFor(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, restore.exitValue(), lines::toString);
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("error: RESTORE_SERVICE_UNAVAILABLE")), lines::toString);
        }
        assertEquals(0, held(device));

        try (ServerProcess restarted = serverFor(origin)) {
            LauncherProcess.Result verified = succeed(origin.home("another-device"), restarted.hostOptions(), "verify",
                    origin.backup());
            assertEquals(1, linesWith(verified, "may still go to 4 more new devices"), verified.lines()::toString);
            assertEquals(backedUp, restored(restoreOn(device, restarted, origin.backup())));
        }
    }

    @Test
    void aNewDeviceCannotRestoreWhileTheServerIsDownAndItsStoreStaysEmpty() throws Exception {
        Origin origin = origin("server-down", 20);
        List<String> stoppedServer;
        try (ServerProcess server = serverFor(origin)) {
            backUp(origin, server);
            stoppedServer = server.hostOptions();
        }
        Path device = origin.home("device");
        LauncherProcess.Result refused = run(device, stoppedServer, "restore", origin.backup(), "--rebind");
        assertEquals(1, refused.exitCode(), refused.lines()::toString);
        assertEquals(1, linesWith(refused, "error: RESTORE_SERVICE_UNAVAILABLE"), refused.lines()::toString);
        assertEquals(0, held(device));
    }

    @Test
    void aDeviceWhoseStoreWasLostRestoresItsOwnBackupWhileTheServerIsDown() throws Exception {
        Origin origin = origin("own-backup-offline", 20);
        List<String> stoppedServer;
        long backedUp;
        try (ServerProcess server = serverFor(origin)) {
            backedUp = backUp(origin, server);
            stoppedServer = server.hostOptions();
        }
        // the disk failure: the store's file is gone, the device key (kept elsewhere, say) is not
        Files.delete(origin.home().resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME));
        assertEquals(0, held(origin.home()));

        assertEquals(backedUp, restored(succeed(origin.home(), stoppedServer, "restore", origin.backup())));
        assertEquals(backedUp, held(origin.home()));
    }

    @Test
    void aServerWhoseKeyIsNotThePinnedOneIsRefusedAndNothingIsWritten() throws Exception {
        Origin origin = origin("wrong-key", 20);
        try (ServerProcess server = serverFor(origin);
                ServerProcess impostor = ServerProcess.start(launcher, origin.home("impostor"),
                        List.of("--trust", trust(origin.issuerKey())), System.out, "  [impostor] ", RUN_PATIENCE)) {
            backUp(origin, server);
            Path device = origin.home("device");
            LauncherProcess.Result refused = run(device, List.of("--lms", impostor.url(), "--lms-key", server.key()),
                    "restore", origin.backup(), "--rebind");
            assertEquals(1, refused.exitCode(), refused.lines()::toString);
            assertTrue(refused.lines().stream().anyMatch(line -> line.startsWith("error: ")), refused.lines()::toString);
            assertEquals(0, held(device));
        }
    }
}
