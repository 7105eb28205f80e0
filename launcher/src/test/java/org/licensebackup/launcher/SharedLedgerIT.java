package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.licensebackup.testing.postgres.PostgresProcess;

/**
 * Several license server processes on one PostgreSQL ledger, as a content operator runs them behind
 * a load balancer: they are one service to devices (the same keys, the same counts), and the device
 * limit holds exactly while devices race for the last slots through different servers.
 */
class SharedLedgerIT extends ProcessTestSupport {

    private static final int DEVICES = 8;

    @Test
    void eightDevicesRacingThroughTwoServersOnOnePostgresLedgerGetExactlyFourOfEveryLicense() throws Exception {
        // 85% of the licenses may be backed up: over 100 licenses, each a race of eight devices
        Origin origin = origin("shared-ledger", 120);
        try (PostgresProcess postgres = PostgresProcess.start()) {
            String ledger = postgres.createDatabase("lms");
            List<String> onLedger = List.of("--database", ledger, "--database-user", PostgresProcess.USER);
            try (ServerProcess first = serverFor(origin, "server-1", onLedger);
                    ServerProcess second = serverFor(origin, "server-2", onLedger)) {
                assertEquals(first.hostOptions().get(3), second.hostOptions().get(3), "the servers sign with the ledger's one key");
                long backedUp = backUp(origin, first);
                assertTrue(backedUp >= 100, "licenses raced for: " + backedUp);

                List<Path> homes = race(origin, List.of(first, second));

                Map<String, Integer> holders = new HashMap<>();
                for (Path home : homes) {
                    keyIds(home).forEach(keyId -> holders.merge(keyId, 1, Integer::sum));
                }
                assertEquals(backedUp, holders.size(), "every license restored somewhere");
                holders.forEach((keyId, count) -> assertEquals(4, count, "devices holding " + keyId));
                System.out.printf("shared ledger: %d licenses, each raced for by %d devices through 2 servers: all %d on exactly 4%n",
                        backedUp, DEVICES, holders.size());
            }
        }
    }

    /** Every device restores the backup at once, each through one of the servers in turn; their homes. */
    private List<Path> race(Origin origin, List<ServerProcess> servers) throws Exception {
        ExecutorService devices = Executors.newFixedThreadPool(DEVICES);
        try {
            List<Path> homes = new ArrayList<>();
            List<Future<LauncherProcess.Result>> restores = new ArrayList<>();
            for (int device = 0; device < DEVICES; device++) {
                Path home = origin.home("device-" + device);
                ServerProcess server = servers.get(device % servers.size());
                homes.add(home);
                // a device refused every license fails its restore: the counts below tell what each got
                restores.add(devices.submit(() -> launcher.runIn(home, server.hostOptions(),
                        List.of("restore", origin.backup(), "--rebind"), System.out, RUN_PATIENCE)));
            }
            for (Future<LauncherProcess.Result> restore : restores) {
                restore.get();
            }
            return homes;
        } finally {
            devices.shutdownNow();
        }
    }
}
