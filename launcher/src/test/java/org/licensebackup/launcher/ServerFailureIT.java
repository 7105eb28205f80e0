package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What a device sees when the license server fails it: a clear RESTORE_SERVICE_UNAVAILABLE, a store
 * left as it was, and, on the server, nothing counted for the session that did not end well.
 */
class ServerFailureIT extends ProcessTestSupport {

    @Test
    void aServerKilledMidRestoreLeavesTheStoreAsItWasCountsNothingAndTheRestoreThenSucceeds() throws Exception {
        Path root = folderFor("server-killed");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        Path serverHome = root.resolve("server");
        String backup = root.resolve("backup").toString();
        // Enough licenses that the restore is still running when its first progress line shows.
        issue(origin, 50_000, issuerKey);
        long backedUp;
        Path device = root.resolve("device");
        try (ServerProcess server = startServer(serverHome, "--trust", trust(issuerKey))) {
            backedUp = backedUp(succeed(origin, server.hostOptions(), "backup", backup));
            List<String> args = new ArrayList<>(List.of("--home", device.toString()));
            args.addAll(server.hostOptions());
            args.addAll(List.of("restore", backup, "--rebind"));
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

        try (ServerProcess restarted = startServer(serverHome, "--trust", trust(issuerKey))) {
            LauncherProcess.Result verified = succeed(root.resolve("another-device"), restarted.hostOptions(), "verify", backup);
            assertEquals(1, linesWith(verified, "may still go to 4 more new devices"), verified.lines()::toString);
            assertEquals(backedUp, restored(succeed(device, restarted.hostOptions(), "restore", backup, "--rebind")));
        }
    }

    @Test
    void aNewDeviceCannotRestoreWhileTheServerIsDownAndItsStoreStaysEmpty() throws Exception {
        Path root = folderFor("server-down");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        String backup = root.resolve("backup").toString();
        issue(origin, 20, issuerKey);
        List<String> serverOptions;
        try (ServerProcess server = startServer(root.resolve("server"), "--trust", trust(issuerKey))) {
            succeed(origin, server.hostOptions(), "backup", backup);
            serverOptions = server.hostOptions();
        }
        Path device = root.resolve("device");
        LauncherProcess.Result refused = run(device, serverOptions, "restore", backup, "--rebind");
        assertEquals(1, refused.exitCode(), refused.lines()::toString);
        assertEquals(1, linesWith(refused, "error: RESTORE_SERVICE_UNAVAILABLE"), refused.lines()::toString);
        assertEquals(0, held(device));
    }

    @Test
    void aServerWhoseKeyIsNotThePinnedOneIsRefusedAndNothingIsWritten() throws Exception {
        Path root = folderFor("wrong-key");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        String backup = root.resolve("backup").toString();
        issue(origin, 20, issuerKey);
        try (ServerProcess server = startServer(root.resolve("server"), "--trust", trust(issuerKey));
                ServerProcess impostor = startServer(root.resolve("impostor"), "--trust", trust(issuerKey))) {
            succeed(origin, server.hostOptions(), "backup", backup);
            Path device = root.resolve("device");
            LauncherProcess.Result refused = run(device, List.of("--lms", impostor.url(), "--lms-key", server.key()),
                    "restore", backup, "--rebind");
            assertEquals(1, refused.exitCode(), refused.lines()::toString);
            assertTrue(refused.lines().stream().anyMatch(line -> line.startsWith("error: ")), refused.lines()::toString);
            assertEquals(0, held(device));
        }
    }
}
