package org.licensebackup.store.embedded.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.licensebackup.license.License;
import org.licensebackup.store.NumberedLicenses;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * Kills a {@link CrashingWriter} process with SIGKILL at a random moment, again and again on the
 * same store, and after each kill checks that the store opens, that its count matches what it
 * streams, and that it holds exactly the licenses of some number of whole transactions.
 */
final class CrashTrials {

    /** What the trials found. */
    record Outcome(int trials, int corruptions, long committedTransactions, List<String> failures) {
    }

    private final Path file;
    private final Random random;
    private final int longestRunMillis;

    CrashTrials(Path file, long seed, int longestRunMillis) {
        this.file = file;
        this.random = new Random(seed);
        this.longestRunMillis = longestRunMillis;
    }

    /**
     * Runs the trials outside a test, for more of them or the old engine: arguments, a folder, a
     * number of trials, a seed; the system property {@code crash.engine} chooses the engine.
     */
    public static void main(String[] arguments) throws Exception {
        Outcome outcome = new CrashTrials(Path.of(arguments[0]).resolve("licenses.db"), Long.parseLong(arguments[2]), 1500)
                .run(Integer.parseInt(arguments[1]));
        System.out.printf("%s: %d trials, %d corruptions, %d transactions committed%n",
                System.getProperty("crash.engine", "sqlite"), outcome.trials(), outcome.corruptions(),
                outcome.committedTransactions());
        outcome.failures().forEach(failure -> System.out.println("  " + failure));
    }

    static EmbeddedLicenseStore open(Path file) {
        String engine = System.getProperty("crash.engine", "sqlite");
        return engine.equals("mvstore") ? MvLicenseStore.open(file, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB)
                : EmbeddedLicenseStore.open(file, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
    }

    Outcome run(int trials) throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        long transactions = 0;
        for (int trial = 0; trial < trials; trial++) {
            // one trial in four only reads, as a backup does: the case that once broke MVStore
            String mode = random.nextInt(4) == 0 ? "read-only" : "write";
            try {
                // a store that the check opened and closed may still fail the writer's open
                killAtRandom(mode);
                transactions = check();
            } catch (StoreException | AssertionError e) {
                failures.add("trial " + trial + " (" + mode + "): " + e.getMessage());
                // go on from a fresh store: the next trials should not all fail for this one
                Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt-" + trial));
                deleteSiblings();
            }
        }
        return new Outcome(trials, failures.size(), transactions, failures);
    }

    private void killAtRandom(String mode) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "-Dcrash.engine=" + System.getProperty("crash.engine", "sqlite"),
                CrashingWriter.class.getName(), file.toString(), mode)
                .redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            if (!CrashingWriter.READY.equals(line)) {
                StringBuilder all = new StringBuilder(String.valueOf(line));
                for (String more = output.readLine(); more != null; more = output.readLine()) {
                    all.append('\n').append(more);
                }
                throw new StoreException("the writer could not open the store: " + all);
            }
            Thread.sleep(random.nextInt(longestRunMillis));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** @return the number of whole transactions the store holds */
    private long check() {
        try (EmbeddedLicenseStore store = open(file)) {
            long count = store.count();
            long[] found;
            try (Stream<License> licenses = store.licenses()) {
                found = licenses.mapToLong(NumberedLicenses::numberOf).sorted().toArray();
            }
            if (found.length != count) {
                throw new AssertionError("count() says " + count + ", the stream gave " + found.length);
            }
            long transactions = found.length == 0 ? 0 : found[found.length - 1] / CrashingWriter.LICENSES_PER_TRANSACTION + 1;
            long[] expected = CrashingWriter.expectedAfter(transactions);
            if (!Arrays.equals(expected, found)) {
                throw new AssertionError("not the licenses of " + transactions + " whole transactions: "
                        + expected.length + " expected, " + found.length + " found");
            }
            return transactions;
        }
    }

    private void deleteSiblings() throws IOException {
        for (String suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
