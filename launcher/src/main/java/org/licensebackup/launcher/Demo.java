package org.licensebackup.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The demo, as the real thing: a license management server in a process of its own; home A, a host
 * with 10,000 licenses of every kind, backs them up; home B, a genuinely new host (its own store,
 * device key and configuration: nothing shared with A but the backup file and the server), restores
 * them through the server, which re-binds them to B; then B checks the backup again and shows each
 * license's allowance left.
 */
final class Demo {

    static final int LICENSES = 10_000;
    private static final Duration STEP_PATIENCE = Duration.ofMinutes(5);

    private final LauncherProcess launcher;
    private final PrintStream out;
    private final Path root;

    /** @param root an empty folder for the demo's homes, server and backup, which the caller deletes */
    Demo(LauncherProcess launcher, PrintStream out, Path root) {
        this.launcher = launcher;
        this.out = out;
        this.root = root;
    }

    /** @return the exit code: 0 when B holds every license A backed up */
    int run() throws IOException {
        long started = System.nanoTime();
        Path homeA = root.resolve("home-a");
        Path homeB = root.resolve("home-b");
        Path issuerKey = root.resolve("issuer.key");
        Path backup = root.resolve("backup");

        step("home A: a host with " + String.format(Locale.ROOT, "%,d", LICENSES) + " licenses from an issuer");
        expectSuccess(run(homeA, List.of(), "issue", Integer.toString(LICENSES), "--issuer", issuerKey.toString()));

        step("the license management server, a process of its own, trusting that issuer");
        try (ServerProcess server = ServerProcess.start(launcher, root.resolve("server"),
                List.of("--trust", "@" + issuerKey + ".pub", "--support-url", "https://support.example/licenses"),
                out, "  [server] ", STEP_PATIENCE)) {

            step("home A backs up");
            LauncherProcess.Result backedUp = expectSuccess(run(homeA, server.hostOptions(), "backup", backup.toString()));

            step("home B, a new device with nothing of A's but the backup and the server, restores");
            LauncherProcess.Result restored = expectSuccess(run(homeB, server.hostOptions(), "restore",
                    backup.toString(), "--rebind"));

            step("home B checks the backup again: each license's allowance now counts B");
            expectSuccess(run(homeB, List.of(), "verify", backup.toString()));

            long backedUpCount = backedUp.count(LauncherProcess.BACKED_UP).orElse(0);
            long restoredCount = restored.count(LauncherProcess.RESTORED).orElse(0);
            out.println();
            out.println(String.format(Locale.ROOT, "demo: home A backed up %,d licenses, home B restored %,d through"
                    + " the server at %s, in %d s in all", backedUpCount, restoredCount, server.url(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds()));
            if (backedUpCount == 0 || restoredCount != backedUpCount) {
                out.println("demo: FAILED: B should hold every license A backed up");
                return Main.FAILED;
            }
            return 0;
        }
    }

    private LauncherProcess.Result run(Path home, List<String> options, String... command) throws IOException {
        return launcher.runIn(home, options, List.of(command), out, STEP_PATIENCE);
    }

    private void step(String what) {
        out.println("== " + what);
    }

    private static LauncherProcess.Result expectSuccess(LauncherProcess.Result result) throws IOException {
        if (result.exitCode() != 0) {
            throw new IOException("a step of the demo failed with exit code " + result.exitCode());
        }
        return result;
    }
}
