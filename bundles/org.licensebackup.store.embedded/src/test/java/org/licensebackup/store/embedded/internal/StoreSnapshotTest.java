package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensebackup.store.NumberedLicenses.license;
import static org.licensebackup.store.NumberedLicenses.licenses;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * A stream reads the store as it was when it was opened, to the end, however long it takes and
 * whatever commits meanwhile (the MVStore store failed here with "Chunk ... not found" after 40 s).
 * The read is paced to last {@code store.snapshot.seconds} (5 by default; the {@code
 * long-store-trials} profile reads for 5 minutes) while another thread commits as fast as it can:
 * puts, replacements and, more often, deletes, so that the store is also rewritten by its
 * compaction under the reader.
 */
class StoreSnapshotTest {

    private static final int INITIAL = 20_000;

    @TempDir
    Path folder;

    @Test
    void aStreamOpenedBeforeManyCommitsReadsItsSnapshotToTheEnd() throws Exception {
        int seconds = Integer.getInteger("store.snapshot.seconds", 5);
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(folder.resolve("licenses.db"), 1)) {
            List<License> initial = licenses(0, INITIAL);
            try (StoreTransaction transaction = store.begin()) {
                transaction.put(initial);
                transaction.commit();
            }
            AtomicBoolean reading = new AtomicBoolean(true);
            List<License> seen = new ArrayList<>();
            CompletableFuture<Integer> commits;
            try (Stream<License> snapshot = store.licenses()) {
                Iterator<License> licenses = snapshot.iterator();
                seen.add(licenses.next());
                commits = CompletableFuture.supplyAsync(() -> commitUntilStopped(store, reading));
                long pauseMillis = seconds * 1000L * 100 / INITIAL;
                while (licenses.hasNext()) {
                    seen.add(licenses.next());
                    if (seen.size() % 100 == 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } finally {
                reading.set(false);
            }
            int committed = commits.get();

            System.out.printf("snapshot read: %,d licenses over about %d s while %,d transactions committed; the store now holds %,d%n",
                    seen.size(), seconds, committed, store.count());
            assertTrue(committed > 0, "nothing committed during the read: the test tested nothing");
            assertEquals(Set.copyOf(initial), Set.copyOf(seen));
            assertEquals(INITIAL, seen.size());
        }
    }

    /** Commits until told to stop; returns how many transactions it committed. */
    private static int commitUntilStopped(EmbeddedLicenseStore store, AtomicBoolean reading) {
        Random random = new Random(3);
        List<Long> heldList = new ArrayList<>();
        for (long n = 0; n < INITIAL; n++) {
            heldList.add(n);
        }
        long next = INITIAL;
        int commits = 0;
        while (reading.get()) {
            // shrink to half, then grow back: deletes thin the pages out, and the compaction rewrites the file
            boolean shrink = heldList.size() > INITIAL / 2;
            List<KeyId> deletes = new ArrayList<>();
            List<License> puts = new ArrayList<>();
            for (int i = 0; i < (shrink ? 400 : 20); i++) {
                deletes.add(license(heldList.remove(random.nextInt(heldList.size()))).keyId());
            }
            for (int i = 0; i < (shrink ? 20 : 400); i++) {
                heldList.add(next);
                puts.add(license(next++));
            }
            License replaced = license(heldList.get(random.nextInt(heldList.size())));
            puts.add(replaced.withUsage(new Usage(1, 0, Instant.ofEpochSecond(1_800_000_000L))));
            try (StoreTransaction transaction = store.begin()) {
                transaction.delete(deletes);
                transaction.put(puts);
                transaction.commit();
            }
            commits++;
        }
        return commits;
    }
}
