package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * The device limit, as Windows Media DRM's license management service kept it (each license
 * restored to at most 4 unique computers, the same computer again free), counted by one license
 * server for hosts that are separate processes with homes of their own: separate machines, as far as
 * the server can tell.
 */
class DeviceLimitAcrossMachinesIT extends ProcessTestSupport {

    @Test
    void fourNewDevicesRestoreTheSameBackupTheFifthIsRefusedWithTheSupportLinkAndTheSameDeviceAgainIsFree()
            throws Exception {
        // 20 licenses: 17 may be backed up, few enough for the command line to list every refusal.
        Origin origin = origin("four-devices", 20);
        try (ServerProcess server = serverFor(origin, "--support-url", SUPPORT_URL)) {
            long backedUp = backUp(origin, server);
            assertEquals(17, backedUp);
            for (int device = 1; device <= 4; device++) {
                Path home = origin.home("device-" + device);
                assertEquals(backedUp, restored(restoreOn(home, server, origin.backup())));
                assertEquals(backedUp, held(home));
            }

            Path fifth = origin.home("device-5");
            LauncherProcess.Result refused = refusedRestoreOn(fifth, server, origin.backup());
            assertEquals(0, restored(refused));
            assertEquals(backedUp, linesWith(refused, "DEVICE_LIMIT_REACHED  see " + SUPPORT_URL), refused.lines()::toString);
            assertEquals(0, held(fifth));

            // The second device, reinstalled: its key and record in a new, empty home.
            Path reinstalled = copyDevice(origin.home("device-2"), origin.home("device-2-reinstalled"));
            assertEquals(backedUp, restored(restoreOn(reinstalled, server, origin.backup())));
        }
    }

    @Test
    void eightDevicesRacingForOneLicenseExactlyFourGetIt() throws Exception {
        // Of 3 licenses of every kind, one may be backed up.
        Origin origin = origin("eight-devices", 3);
        try (ServerProcess server = serverFor(origin)) {
            assertEquals(1, backUp(origin, server));
            ExecutorService devices = Executors.newFixedThreadPool(8);
            try {
                List<Future<LauncherProcess.Result>> restores = new ArrayList<>();
                for (int device = 1; device <= 8; device++) {
                    Path home = origin.home("device-" + device);
                    restores.add(devices.submit(() -> run(home, server.hostOptions(), "restore", origin.backup(), "--rebind")));
                }
                long winners = 0;
                for (Future<LauncherProcess.Result> restore : restores) {
                    LauncherProcess.Result result = restore.get();
                    long restored = restored(result);
                    if (restored == 1) {
                        assertEquals(0, result.exitCode(), result.lines()::toString);
                    } else {
                        assertEquals(1, linesWith(result, "rejected 1: DEVICE_LIMIT_REACHED 1"), result.lines()::toString);
                        assertRefusedEntirely(result);
                    }
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
        Origin origin = origin("release", 3);
        try (ServerProcess server = serverFor(origin)) {
            backUp(origin, server);
            for (int device = 1; device <= 4; device++) {
                restoreOn(origin.home("device-" + device), server, origin.backup());
            }
            Path fifth = origin.home("device-5");
            assertEquals(0, restored(refusedRestoreOn(fifth, server, origin.backup())));

            Path first = origin.home("device-1");
            List<String> keyIds = keyIds(first);
            assertEquals(1, keyIds.size());
            succeed(first, server.hostOptions(), "release", keyIds.get(0));
            assertEquals(0, held(first));

            assertEquals(1, restored(restoreOn(fifth, server, origin.backup())));
            assertEquals(keyIds, keyIds(fifth));
        }
    }
}
