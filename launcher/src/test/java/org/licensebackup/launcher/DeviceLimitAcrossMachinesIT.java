package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * The device limit, as Windows Media DRM's license management service kept it (each license on at
 * most 4 unique computers, the same computer again free), counted by one license server for hosts
 * that are separate processes with homes of their own: separate machines, as far as the server can tell.
 */
class DeviceLimitAcrossMachinesIT extends ProcessTestSupport {

    @Test
    void fourNewDevicesRestoreTheSameBackupTheFifthIsRefusedWithTheSupportLinkAndTheSameDeviceAgainIsFree()
            throws Exception {
        Path root = folderFor("four-devices");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        String backup = root.resolve("backup").toString();
        // 20 licenses of every kind: 17 may be backed up, few enough for the command line to list every refusal.
        issue(origin, 20, issuerKey);
        try (ServerProcess server = startServer(root.resolve("server"), "--trust", trust(issuerKey),
                "--support-url", SUPPORT_URL)) {
            long backedUp = backedUp(succeed(origin, server.hostOptions(), "backup", backup));
            assertEquals(17, backedUp);
            for (int device = 1; device <= 4; device++) {
                Path home = root.resolve("device-" + device);
                assertEquals(backedUp, restored(succeed(home, server.hostOptions(), "restore", backup, "--rebind")));
                assertEquals(backedUp, held(home));
            }

            Path fifth = root.resolve("device-5");
            LauncherProcess.Result refused = succeed(fifth, server.hostOptions(), "restore", backup, "--rebind");
            assertEquals(0, restored(refused));
            assertEquals(backedUp, linesWith(refused, "DEVICE_LIMIT_REACHED  see " + SUPPORT_URL), refused.lines()::toString);
            assertEquals(0, held(fifth));

            // The second device, reinstalled: its key in a new, empty home.
            Path reinstalled = Files.createDirectories(root.resolve("device-2-reinstalled"));
            Files.copy(root.resolve("device-2").resolve("device.key"), reinstalled.resolve("device.key"));
            assertEquals(backedUp, restored(succeed(reinstalled, server.hostOptions(), "restore", backup, "--rebind")));
        }
    }

    @Test
    void eightDevicesRacingForOneLicenseExactlyFourGetIt() throws Exception {
        Path root = folderFor("eight-devices");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        String backup = root.resolve("backup").toString();
        // Of 3 licenses of every kind, one may be backed up.
        issue(origin, 3, issuerKey);
        try (ServerProcess server = startServer(root.resolve("server"), "--trust", trust(issuerKey))) {
            assertEquals(1, backedUp(succeed(origin, server.hostOptions(), "backup", backup)));
            ExecutorService devices = Executors.newFixedThreadPool(8);
            try {
                List<Future<LauncherProcess.Result>> restores = new ArrayList<>();
                for (int device = 1; device <= 8; device++) {
                    Path home = root.resolve("device-" + device);
                    restores.add(devices.submit(() -> succeed(home, server.hostOptions(), "restore", backup, "--rebind")));
                }
                long winners = 0;
                for (Future<LauncherProcess.Result> restore : restores) {
                    LauncherProcess.Result result = restore.get();
                    long restored = restored(result);
                    assertTrue(restored == 1 || linesWith(result, "DEVICE_LIMIT_REACHED") == 1, result.lines()::toString);
                    winners += restored;
                }
                assertEquals(4, winners);
            } finally {
                devices.shutdownNow();
            }
        }
    }

    @Test
    void aReleasedLicenseFreesTheSlotThatAFifthDeviceThenGets() throws Exception {
        Path root = folderFor("release");
        Path issuerKey = root.resolve("issuer.key");
        Path origin = root.resolve("origin");
        String backup = root.resolve("backup").toString();
        issue(origin, 3, issuerKey);
        try (ServerProcess server = startServer(root.resolve("server"), "--trust", trust(issuerKey))) {
            succeed(origin, server.hostOptions(), "backup", backup);
            for (int device = 1; device <= 4; device++) {
                succeed(root.resolve("device-" + device), server.hostOptions(), "restore", backup, "--rebind");
            }
            Path fifth = root.resolve("device-5");
            assertEquals(0, restored(succeed(fifth, server.hostOptions(), "restore", backup, "--rebind")));

            Path first = root.resolve("device-1");
            List<String> keyIds = keyIds(first);
            assertEquals(1, keyIds.size());
            succeed(first, server.hostOptions(), "release", keyIds.get(0));
            assertEquals(0, held(first));

            assertEquals(1, restored(succeed(fifth, server.hostOptions(), "restore", backup, "--rebind")));
            assertEquals(keyIds, keyIds(fifth));
        }
    }
}
