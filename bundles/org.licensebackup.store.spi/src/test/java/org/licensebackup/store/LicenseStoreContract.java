package org.licensebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensebackup.store.NumberedLicenses.license;
import static org.licensebackup.store.NumberedLicenses.licenses;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;

/**
 * What every {@link LicenseStore} does, as the SPI's javadoc promises it. A store's test extends
 * this class and says how to make an empty store; published in this module's test-jar so that
 * hosts can run it against their own stores.
 */
public abstract class LicenseStoreContract {

    /** The store under test, empty at the start of each test. */
    protected LicenseStore store;

    /** A new, empty store. */
    protected abstract LicenseStore openEmptyStore() throws Exception;

    /** Releases a store made by {@link #openEmptyStore()}; nothing by default. */
    protected void release(LicenseStore store) throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void releaseStore() throws Exception {
        release(store);
    }

    protected final void commit(List<License> puts, List<KeyId> deletes) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(puts);
            transaction.delete(deletes);
            transaction.commit();
        }
    }

    protected final void commit(List<License> puts) {
        commit(puts, List.of());
    }

    protected final Set<License> everyLicense() {
        try (Stream<License> licenses = store.licenses()) {
            return licenses.collect(Collectors.toSet());
        }
    }

    @Test
    void findsACommittedLicenseByItsKeyIdAndNothingUnderAnother() {
        commit(licenses(0, 2));

        assertEquals(Optional.of(license(0)), store.find(license(0).keyId()));
        assertEquals(Optional.empty(), store.find(license(2).keyId()));
    }

    @Test
    void countsTheLicensesItHolds() {
        assertEquals(0, store.count());

        commit(licenses(0, 25));
        commit(licenses(20, 30), List.of(license(0).keyId()));

        assertEquals(29, store.count());
    }

    @Test
    void aPutReplacesTheLicenseWithTheSameKeyId() {
        commit(List.of(license(1)));
        License played = license(1).withUsage(new Usage(3, 0, Instant.ofEpochSecond(1_800_000_000L)));

        commit(List.of(played));

        assertEquals(Optional.of(played), store.find(played.keyId()));
        assertEquals(1, store.count());
    }

    @Test
    void deletesLicensesAndPassesOverKeyIdsItDoesNotHold() {
        commit(licenses(0, 3));

        commit(List.of(), List.of(license(0).keyId(), license(99).keyId()));

        assertEquals(Set.of(license(1), license(2)), everyLicense());
        assertEquals(2, store.count());
    }

    @Test
    void aTransactionSeesItsOwnPutsAndDeletesBeforeCommit() {
        commit(List.of(license(1)));

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license(2)));
            transaction.delete(List.of(license(1).keyId()));

            assertEquals(Optional.of(license(2)), transaction.find(license(2).keyId()));
            assertEquals(Optional.empty(), transaction.find(license(1).keyId()));
        }
    }

    @Test
    void changesAreInvisibleToOthersUntilCommitThenVisibleAllTogether() {
        commit(List.of(license(0)));

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(licenses(1, 101));
            transaction.delete(List.of(license(0).keyId()));

            assertEquals(1, store.count());
            assertEquals(Optional.empty(), store.find(license(1).keyId()));
            assertEquals(Optional.of(license(0)), store.find(license(0).keyId()));
            assertEquals(Set.of(license(0)), everyLicense());

            transaction.commit();
        }

        assertEquals(100, store.count());
        assertEquals(Set.copyOf(licenses(1, 101)), everyLicense());
    }

    @Test
    void closingWithoutCommitDropsEveryChange() {
        commit(List.of(license(0)));

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(licenses(1, 1001));
            transaction.delete(List.of(license(0).keyId()));
        }

        assertEquals(1, store.count());
        assertEquals(Set.of(license(0)), everyLicense());
    }

    @Test
    void anEndedTransactionRefusesMoreWork() {
        StoreTransaction committed = store.begin();
        committed.commit();
        StoreTransaction closed = store.begin();
        closed.close();

        for (StoreTransaction ended : List.of(committed, closed)) {
            assertThrows(StoreException.class, () -> ended.put(List.of(license(1))));
            assertThrows(StoreException.class, () -> ended.delete(List.of(license(1).keyId())));
            assertThrows(StoreException.class, () -> ended.find(license(1).keyId()));
            assertThrows(StoreException.class, ended::commit);
            ended.close(); // closing again does nothing
        }
        assertEquals(0, store.count());
    }

    @Test
    void streamsEveryLicenseExactlyOnce() {
        for (int from = 0; from < 10_000; from += 2_500) {
            commit(licenses(from, from + 2_500));
        }

        Set<KeyId> seen = new HashSet<>();
        try (Stream<License> licenses = store.licenses()) {
            licenses.forEach(license -> assertTrue(seen.add(license.keyId()), "seen twice: " + license.keyId()));
        }

        assertEquals(licenses(0, 10_000).stream().map(License::keyId).collect(Collectors.toSet()), seen);
    }

    @Test
    void aStreamOpenedBeforeCommitsReadsToTheEndAndSeesEachLicenseTheyLeftAloneOnce() {
        commit(licenses(0, 3_000));
        List<License> seen = new ArrayList<>();

        try (Stream<License> licenses = store.licenses()) {
            Iterator<License> reading = licenses.iterator();
            seen.add(reading.next());
            for (int t = 0; t < 20; t++) {
                // each commit replaces, deletes and adds licenses among the 1,000 numbered from 2,000
                int base = 2_000 + 50 * t;
                commit(licenses(3_000 + 10 * t, 3_010 + 10 * t), List.of(license(base).keyId()));
                commit(List.of(license(base + 1).withUsage(new Usage(1, 0, Instant.EPOCH))));
            }
            reading.forEachRemaining(seen::add);
        }

        Set<Long> leftAlone = Set.copyOf(licenses(0, 2_000).stream().map(NumberedLicenses::numberOf).toList());
        List<Long> seenNumbers = seen.stream().map(NumberedLicenses::numberOf).toList();
        assertEquals(seenNumbers.size(), Set.copyOf(seenNumbers).size(), "a license seen twice");
        assertTrue(seenNumbers.containsAll(leftAlone), "a license no commit touched was not seen");
    }

    @Test
    void aClosedStreamReleasesWhatItHeld() {
        commit(licenses(0, 3));

        // a store that kept anything per stream (a connection, a transaction, a file) runs out long before this
        for (int i = 0; i < 5_000; i++) {
            try (Stream<License> licenses = store.licenses()) {
                assertTrue(licenses.findFirst().isPresent());
            }
        }
    }

    @Test
    void transactionsOfSeveralThreadsAllCommit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int first = thread * 1_000;
                writers.add(threads.submit(() -> {
                    for (int from = first; from < first + 1_000; from += 50) {
                        commit(licenses(from, from + 50));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            threads.shutdown();
        }

        assertEquals(4_000, store.count());
        assertEquals(Set.copyOf(licenses(0, 4_000)), everyLicense());
    }
}
