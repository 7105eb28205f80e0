package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a real launcher process at random points of a backup, of a restore and of a
 * store fill ({@code issue}), as a crash or a pulled plug would stop it; after each kill the home is
 * checked through the launcher, as a user would: the store opens, a restore left none or all of its
 * licenses, a fill none or all of its own, and the backup directory holds a complete backup (the
 * previous or the new one). {@value #TRIALS_PROPERTY} sets the number of trials (30 by default, which keeps the whole suite short;
 * {@code -Pfault-trials} runs 1,000); {@value #SEED_PROPERTY} repeats a run's random points.
 */
class KillTrialsIT extends ProcessTestSupport {

    static final String TRIALS_PROPERTY = "fault.trials";
    static final String SEED_PROPERTY = "fault.seed";
    /**
     * Enough licenses that a backup, a restore and a fill each run a few hundred milliseconds, room
     * for random kill points, and few enough that each trial (two processes) stays short.
     */
    private static final int LICENSES = 6_000;
    private static final int FILL = 2_000;
    private static final Pattern WOULD_TAKE = Pattern.compile("a restore would take ([0-9,]+) of ");

    private enum Kind { BACKUP, RESTORE, FILL }

    private final Random random;
    private final long seed;
    private final List<String> corruptions = new ArrayList<>();
    private final int[] trials = new int[Kind.values().length];
    private final int[] killedMidway = new int[Kind.values().length];

    KillTrialsIT() {
        seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        random = new Random(seed);
    }

    @Test
    void killsAtRandomPointsOfBackupsRestoresAndFillsLeaveEveryHomeAndBackupWhole() throws Exception {
        int trialCount = Integer.getInteger(TRIALS_PROPERTY, 30);
        Origin origin = origin("kill-trials", LICENSES);
        long backedUp = backedUp(succeed(origin.home(), List.of(), "backup", origin.backup()));
        Path fill = copyDevice(origin.home(), origin.home("fill"));
        long filled = 0;

        // One whole run of each, timed from the command's first line to its end: the span to kill in.
        long backupSpan = runUntilEnd(origin.home(), "backup", origin.backup(), "--overwrite");
        long restoreSpan = runUntilEnd(restoreHome(origin, -1), "restore", origin.backup());
        long fillSpan = runUntilEnd(fill, "issue", Integer.toString(FILL), "--issuer", origin.issuerKey().toString());
        filled += FILL;

        for (int trial = 0; trial < trialCount; trial++) {
            Kind kind = Kind.values()[trial % Kind.values().length];
            trials[kind.ordinal()]++;
            switch (kind) {
                case BACKUP -> {
                    killAtRandom(kind, origin.home(), backupSpan, "backup", origin.backup(), "--overwrite");
                    check(trial, kind, () -> {
                        LauncherProcess.Result verified = succeed(origin.home(), List.of(), "verify", origin.backup());
                        long whole = verified.count(WOULD_TAKE).orElse(-1);
                        return whole == backedUp ? null : "the backup verifies with " + whole + " licenses, not " + backedUp;
                    });
                }
                case RESTORE -> {
                    Path home = restoreHome(origin, trial);
                    killAtRandom(kind, home, restoreSpan, "restore", origin.backup());
                    check(trial, kind, () -> {
                        long held = heldAsStatusSays(home);
                        return held == 0 || held == backedUp ? null : "the store holds " + held + " of the restore's " + backedUp;
                    });
                    Main.deleteRecursively(home);
                }
                case FILL -> {
                    long before = filled;
                    killAtRandom(kind, fill, fillSpan, "issue", Integer.toString(FILL), "--issuer", origin.issuerKey().toString());
                    long[] now = {before};
                    check(trial, kind, () -> {
                        now[0] = held(fill);
                        return now[0] == before || now[0] == before + FILL ? null
                                : "the store holds " + now[0] + " licenses, neither " + before + " nor " + (before + FILL);
                    });
                    filled = now[0];
                }
            }
        }

        // The next backup cleans what the killed ones left, and the origin's store is as it was.
        succeed(origin.home(), List.of(), "backup", origin.backup(), "--overwrite");
        List<String> leftOver = filesIn(Path.of(origin.backup()));
        long originHeld = held(origin.home());

        System.out.printf("kill -9 trials (seed %d): %d in all; backup %d (killed midway %d), restore %d (%d),"
                + " fill %d (%d); corruptions: %d%n", seed, trialCount, trials[0], killedMidway[0], trials[1],
                killedMidway[1], trials[2], killedMidway[2], corruptions.size());
        corruptions.forEach(corruption -> System.out.println("  " + corruption));
        assertEquals(List.of(), corruptions, "seed " + seed);
        assertEquals(List.of("licenses.lbk"), leftOver, "seed " + seed);
        assertEquals(LICENSES, originHeld);
        // Each kill left a framework cache in its home; the next run there cleaned it and deleted it at its end.
        assertTrue(Files.notExists(origin.home().resolve(Main.FRAMEWORK_CACHE_FOLDER)));
        assertTrue(Files.notExists(fill.resolve(Main.FRAMEWORK_CACHE_FOLDER)));
        assertTrue(killedMidway[0] + killedMidway[1] + killedMidway[2] > 0, "no kill landed in an operation");
    }

    /** A new home with the origin's device (key and record) and no store: its own backup restores offline. */
    private static Path restoreHome(Origin origin, int trial) throws IOException {
        Path home = origin.home("restore-" + (trial < 0 ? "whole" : trial));
        Main.deleteRecursively(home);
        return copyDevice(origin.home(), home);
    }

    /** Runs the command to its end; answers the nanoseconds from its first line to its end. */
    private long runUntilEnd(Path home, String... command) throws Exception {
        RunningCommand running = RunningCommand.start(launcher, home, command);
        long started = running.awaitFirstLine();
        assertTrue(running.process.waitFor(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS), "the command did not end");
        long span = System.nanoTime() - started;
        assertEquals(0, running.process.exitValue(), running::output);
        return span;
    }

    /**
     * Starts the command and kills it at a random point of the span its whole run took, counted from
     * its first line (the framework is up, the command has begun); for a fill, which prints only at
     * its end, from the start of the process.
     */
    private void killAtRandom(Kind kind, Path home, long span, String... command) throws Exception {
        RunningCommand running = RunningCommand.start(launcher, home, command);
        long from = kind == Kind.FILL ? running.startedNanos : running.awaitFirstLine();
        long delay = (long) (random.nextDouble() * span * 1.1) - (System.nanoTime() - from);
        if (delay > 0) {
            TimeUnit.NANOSECONDS.sleep(delay);
        }
        boolean alive = running.process.isAlive();
        running.process.destroyForcibly();
        assertTrue(running.process.waitFor(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS), "a killed process did not end");
        if (alive && running.process.exitValue() != 0) {
            killedMidway[kind.ordinal()]++;
        }
    }

    /** A check that answers null when the home is whole, else what is wrong; a failing command is wrong too. */
    private interface Check {
        String wrong() throws Exception;
    }

    private void check(int trial, Kind kind, Check check) {
        String wrong;
        try {
            wrong = check.wrong();
        } catch (Exception | AssertionError e) {
            wrong = e.getMessage();
        }
        if (wrong != null) {
            corruptions.add("trial " + trial + " (" + kind + "): " + wrong);
        }
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** A launcher process whose output is read as it comes, to know when its command began. */
    private static final class RunningCommand {

        final Process process;
        final long startedNanos;
        private final List<String> lines = new ArrayList<>();
        private final CountDownLatch firstLine = new CountDownLatch(1);
        private volatile long firstLineNanos;

        private RunningCommand(Process process, long startedNanos) {
            this.process = process;
            this.startedNanos = startedNanos;
        }

        static RunningCommand start(LauncherProcess launcher, Path home, String... command) throws IOException {
            List<String> args = new ArrayList<>(List.of("--home", home.toString()));
            args.addAll(List.of(command));
            RunningCommand running = new RunningCommand(launcher.start(args), System.nanoTime());
            Thread reader = new Thread(running::read, "kill-trial-output");
            reader.setDaemon(true);
            reader.start();
            return running;
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (firstLine.getCount() > 0) {
                        firstLineNanos = System.nanoTime();
                        firstLine.countDown();
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException closedByTheKill) {
                // the process is gone; what it printed is kept
            } finally {
                firstLine.countDown();
            }
        }

        /** When the first line came (or the output ended without one). */
        long awaitFirstLine() throws InterruptedException {
            if (!firstLine.await(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("no output within " + RUN_PATIENCE);
            }
            return firstLineNanos == 0 ? System.nanoTime() : firstLineNanos;
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
