package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store survives {@code kill -9} of the process that writes and reads it, at any moment: it
 * opens again, consistent, with each transaction all there or not at all. The number of trials is
 * the system property {@code store.crash.trials} (30 by default; the {@code long-store-trials}
 * profile runs 300).
 */
class StoreCrashTest {

    @TempDir
    Path folder;

    @Test
    void aKilledWriterLeavesWholeTransactionsAndAStoreThatOpens() throws Exception {
        int trials = Integer.getInteger("store.crash.trials", 30);
        long seed = Long.getLong("store.crash.seed", System.nanoTime());
        CrashTrials.Outcome outcome = new CrashTrials(folder.resolve("licenses.db"), seed, 1500).run(trials);

        System.out.printf("store crash trials (seed %d): %d trials, %d corruptions, %d transactions committed in all%n",
                seed, outcome.trials(), outcome.corruptions(), outcome.committedTransactions());
        outcome.failures().forEach(failure -> System.out.println("  " + failure));
        assertEquals(0, outcome.corruptions(), String.join("\n", outcome.failures()));
        // the trials tested something only if the killed writers committed between the kills
        assertTrue(outcome.committedTransactions() > 0, "no transaction was ever committed before a kill");
    }
}
