package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;

class MvLicenseStoreTest {

    @TempDir
    Path folder;

    private final TestLicenses licenses = new TestLicenses();
    private Path file;
    private MvLicenseStore store;

    @BeforeEach
    void open() {
        file = folder.resolve("store").resolve("licenses.mv.db");
        store = MvLicenseStore.open(file, 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void commit(List<License> batch) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(batch);
            transaction.commit();
        }
    }

    @Test
    void findsACommittedLicenseByItsKeyId() {
        License license = licenses.license("Film");
        commit(List.of(license, licenses.license("Other")));

        assertEquals(Optional.of(license), store.find(license.keyId()));
        assertEquals(Optional.empty(), store.find(licenses.license("Absent").keyId()));
    }

    @Test
    void countsTheLicensesItHolds() {
        commit(licenses.licenses(25));

        assertEquals(25, store.count());
    }

    @Test
    void aPutReplacesTheLicenseWithTheSameKeyId() {
        License original = licenses.license("Film");
        commit(List.of(original));
        License played = original.withUsage(new Usage(3, 0, java.time.Instant.ofEpochSecond(1_800_000_000L)));

        commit(List.of(played));

        assertEquals(Optional.of(played), store.find(original.keyId()));
        assertEquals(1, store.count());
    }

    @Test
    void deletesLicensesAndPassesOverKeyIdsItDoesNotHold() {
        List<License> held = licenses.licenses(3);
        commit(held);

        try (StoreTransaction transaction = store.begin()) {
            transaction.delete(List.of(held.get(0).keyId(), licenses.license("Absent").keyId()));
            transaction.commit();
        }

        assertEquals(2, store.count());
        assertEquals(Optional.empty(), store.find(held.get(0).keyId()));
        assertEquals(Optional.of(held.get(1)), store.find(held.get(1).keyId()));
    }

    @Test
    void aTransactionSeesItsOwnChangesBeforeCommit() {
        License deleted = licenses.license("Deleted");
        commit(List.of(deleted));
        License put = licenses.license("Put");

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(put));
            transaction.delete(List.of(deleted.keyId()));

            assertEquals(Optional.of(put), transaction.find(put.keyId()));
            assertEquals(Optional.empty(), transaction.find(deleted.keyId()));
        }
    }

    @Test
    void changesAreInvisibleToOthersUntilCommitThenVisibleAllTogether() {
        License deleted = licenses.license("Deleted");
        commit(List.of(deleted));
        List<License> batch = licenses.licenses(100);

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(batch);
            transaction.delete(List.of(deleted.keyId()));

            assertEquals(1, store.count());
            assertEquals(Optional.empty(), store.find(batch.get(0).keyId()));
            assertEquals(Optional.of(deleted), store.find(deleted.keyId()));
            try (Stream<License> seen = store.licenses()) {
                assertEquals(List.of(deleted), seen.toList());
            }

            transaction.commit();
        }

        assertEquals(100, store.count());
        assertEquals(Optional.empty(), store.find(deleted.keyId()));
        try (Stream<License> seen = store.licenses()) {
            assertEquals(Set.copyOf(batch), seen.collect(Collectors.toSet()));
        }
    }

    @Test
    void closingWithoutCommitDropsEveryChange() {
        License kept = licenses.license("Kept");
        commit(List.of(kept));

        try (StoreTransaction transaction = store.begin()) {
            transaction.put(licenses.licenses(1000));
            transaction.delete(List.of(kept.keyId()));
        }

        assertEquals(1, store.count());
        assertEquals(Optional.of(kept), store.find(kept.keyId()));
    }

    @Test
    void aTransactionLeftOpenWhenTheStoreClosesIsRolledBackAtTheNextOpen() {
        License kept = licenses.license("Kept");
        commit(List.of(kept));
        StoreTransaction abandoned = store.begin();
        abandoned.put(licenses.licenses(5000));
        abandoned.delete(List.of(kept.keyId()));

        store.close();
        store = MvLicenseStore.open(file, 1);

        assertEquals(1, store.count());
        assertEquals(Optional.of(kept), store.find(kept.keyId()));
    }

    @Test
    void aCommittedTransactionIsInTheFileWhenCommitReturns() throws Exception {
        List<License> committed = licenses.licenses(500);
        commit(committed);
        // the file as a crash right after commit would leave it: the store is never closed
        Path crashed = folder.resolve("crashed.mv.db");
        Files.copy(file, crashed);

        try (MvLicenseStore recovered = MvLicenseStore.open(crashed, 1); Stream<License> seen = recovered.licenses()) {
            assertEquals(Set.copyOf(committed), seen.collect(Collectors.toSet()));
        }
    }

    @Test
    void aTransactionCannotBeUsedAfterItEnds() {
        StoreTransaction transaction = store.begin();
        transaction.commit();
        transaction.close();

        assertThrows(StoreException.class, () -> transaction.put(List.of(licenses.license("Late"))));
        assertThrows(StoreException.class, transaction::commit);
    }

    @Test
    void streamsEveryLicenseExactlyOnce() {
        List<License> all = licenses.licenses(50_000);
        for (int from = 0; from < all.size(); from += 5_000) {
            commit(all.subList(from, from + 5_000));
        }

        Set<KeyId> seen = new HashSet<>();
        try (Stream<License> stream = store.licenses()) {
            stream.forEach(license -> assertTrue(seen.add(license.keyId()), "seen twice: " + license.keyId()));
        }

        assertEquals(all.stream().map(License::keyId).collect(Collectors.toSet()), seen);
    }

    @Test
    void closingAStreamEndsItsRead() {
        commit(licenses.licenses(3));

        // MVStore allows 65,535 open transactions: a stream that kept its read open would exhaust them
        for (int i = 0; i < 70_000; i++) {
            try (Stream<License> stream = store.licenses()) {
                assertTrue(stream.findFirst().isPresent());
            }
        }
    }

    @Test
    void reopeningKeepsTheCommittedLicenses() {
        List<License> committed = licenses.licenses(200);
        commit(committed);

        store.close();
        store = MvLicenseStore.open(file, 1);

        assertEquals(200, store.count());
        for (License license : committed) {
            assertEquals(Optional.of(license), store.find(license.keyId()));
        }
    }

    @Test
    void aValueThatDoesNotDecodeFailsNamingItsKeyId() {
        KeyId broken = licenses.license("Broken").keyId();
        commit(List.of(licenses.license("Fine")));
        store.close();
        writeRaw(broken, new byte[] {1, 0, 0, 0, 9});
        store = MvLicenseStore.open(file, 1);

        StoreException byFind = assertThrows(StoreException.class, () -> store.find(broken));
        assertTrue(byFind.getMessage().contains(broken.toString()), byFind.getMessage());
        try (Stream<License> stream = store.licenses()) {
            StoreException byStream = assertThrows(StoreException.class, () -> stream.forEach(license -> { }));
            assertTrue(byStream.getMessage().contains(broken.toString()), byStream.getMessage());
        }
    }

    @Test
    void aLicenseStoredUnderAnotherKeyIdIsRefused() {
        KeyId misplaced = licenses.license("Misplaced").keyId();
        store.close();
        writeRaw(misplaced, org.licensebackup.license.LicenseCodec.encode(licenses.license("Elsewhere")));
        store = MvLicenseStore.open(file, 1);

        StoreException refused = assertThrows(StoreException.class, () -> store.find(misplaced));
        assertTrue(refused.getMessage().contains(misplaced.toString()), refused.getMessage());
    }

    /** Writes a value behind the store's back, as a bug or a disk fault could leave it. */
    private void writeRaw(KeyId keyId, byte[] value) {
        MVStore raw = MVStore.open(file.toString());
        try {
            TransactionStore transactions = new TransactionStore(raw);
            transactions.init();
            Transaction transaction = transactions.begin();
            transaction.openMap(MvLicenseStore.MAP_NAME, new ObjectDataType(), ByteArrayDataType.INSTANCE)
                    .put(keyId.bytes(), value);
            transaction.commit();
        } finally {
            raw.close();
        }
    }

    @Test
    void refusesAFileThatIsNotAStore() throws Exception {
        Path garbage = folder.resolve("garbage.mv.db");
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(garbage, noise);

        StoreException refused = assertThrows(StoreException.class, () -> MvLicenseStore.open(garbage, 1));
        assertTrue(refused.getMessage().contains(garbage.toString()), refused.getMessage());
    }

    @Test
    void refusesASecondOpenOfAFileInUse() {
        assertThrows(StoreException.class, () -> MvLicenseStore.open(file, 1));
    }

    @Test
    void refusesACacheBelowOneMebibyte() {
        assertThrows(IllegalArgumentException.class, () -> MvLicenseStore.open(folder.resolve("other.mv.db"), 0));
    }

    @Test
    void failsWithStoreExceptionOnceClosed() {
        StoreTransaction open = store.begin();
        store.close();

        assertThrows(StoreException.class, store::count);
        assertThrows(StoreException.class, () -> store.find(licenses.license("Any").keyId()));
        assertThrows(StoreException.class, store::licenses);
        assertThrows(StoreException.class, store::begin);
        assertThrows(StoreException.class, () -> open.put(List.of(licenses.license("Late"))));
        open.close();
    }

    @Test
    void aStreamFailsWithStoreExceptionWhenTheStoreClosesUnderIt() {
        commit(licenses.licenses(10));
        try (Stream<License> stream = store.licenses()) {
            store.close();

            assertThrows(StoreException.class, () -> stream.forEach(license -> { }));
        }
    }

    @Test
    void createsItsFileReadableByTheOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(folder).supportsFileAttributeView("posix"));

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    }

    @Test
    void reportsTheFileItKeeps() {
        assertEquals(file.toAbsolutePath(), store.file());
    }
}
