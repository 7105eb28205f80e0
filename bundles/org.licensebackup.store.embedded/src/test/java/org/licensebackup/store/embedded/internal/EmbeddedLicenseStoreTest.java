package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.licensebackup.store.NumberedLicenses.license;
import static org.licensebackup.store.NumberedLicenses.licenses;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.LicenseStoreContract;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

class EmbeddedLicenseStoreTest extends LicenseStoreContract {

    @TempDir
    Path folder;

    private Path file;

    @Override
    protected LicenseStore openEmptyStore() {
        file = folder.resolve("store").resolve("licenses.db");
        return EmbeddedLicenseStore.open(file, 1);
    }

    @Override
    protected void release(LicenseStore store) {
        ((EmbeddedLicenseStore) store).close();
    }

    private EmbeddedLicenseStore embedded() {
        return (EmbeddedLicenseStore) store;
    }

    private void reopen() {
        embedded().close();
        store = EmbeddedLicenseStore.open(file, 1);
    }

    @Test
    void reopeningKeepsTheCommittedLicenses() {
        commit(licenses(0, 200));

        reopen();

        assertEquals(200, store.count());
        assertEquals(Set.copyOf(licenses(0, 200)), everyLicense());
    }

    @Test
    void aTransactionLeftOpenWhenTheStoreClosesIsRolledBack() {
        commit(List.of(license(0)));
        StoreTransaction abandoned = store.begin();
        abandoned.put(licenses(1, 5_001));
        abandoned.delete(List.of(license(0).keyId()));

        reopen();

        assertEquals(Set.of(license(0)), everyLicense());
        assertThrows(StoreException.class, () -> abandoned.put(List.of(license(9))));
        abandoned.close();
    }

    @Test
    void aCommittedTransactionIsInTheFilesWhenCommitReturns() throws Exception {
        commit(licenses(0, 500));
        // the files as a crash right after commit would leave them: the store is never closed
        Path crashed = folder.resolve("crashed.db");
        Files.copy(file, crashed);
        Files.copy(file.resolveSibling("licenses.db-wal"), folder.resolve("crashed.db-wal"));

        try (EmbeddedLicenseStore recovered = EmbeddedLicenseStore.open(crashed, 1); Stream<License> seen = recovered.licenses()) {
            assertEquals(Set.copyOf(licenses(0, 500)), Set.copyOf(seen.toList()));
        }
    }

    @Test
    void streamsInKeyOrder() {
        commit(licenses(0, 1_000));

        try (Stream<License> seen = store.licenses()) {
            assertEquals(licenses(0, 1_000).stream().map(License::keyId).sorted().toList(),
                    seen.map(License::keyId).toList());
        }
    }

    @Test
    void twoOpensOfOneFileShareItsLicenses() {
        try (EmbeddedLicenseStore second = EmbeddedLicenseStore.open(file, 1)) {
            commit(List.of(license(1)));

            assertEquals(Optional.of(license(1)), second.find(license(1).keyId()));
        }
    }

    @Test
    void aValueThatDoesNotDecodeFailsNamingItsKeyIdAndWhatToDo() throws Exception {
        KeyId broken = license(1).keyId();
        commit(List.of(license(0)));
        writeBehindTheStoresBack(broken, new byte[] {1, 0, 0, 0, 9});

        StoreException byFind = assertThrows(StoreException.class, () -> store.find(broken));
        assertTrue(byFind.getMessage().contains(broken.toString()) && byFind.getMessage().contains("backup"), byFind.getMessage());
        try (Stream<License> stream = store.licenses()) {
            StoreException byStream = assertThrows(StoreException.class, () -> stream.forEach(license -> { }));
            assertTrue(byStream.getMessage().contains(broken.toString()), byStream.getMessage());
        }
    }

    @Test
    void aLicenseStoredUnderAnotherKeyIdIsRefused() throws Exception {
        KeyId misplaced = license(1).keyId();
        writeBehindTheStoresBack(misplaced, LicenseCodec.encode(license(2)));

        StoreException refused = assertThrows(StoreException.class, () -> store.find(misplaced));
        assertTrue(refused.getMessage().contains(misplaced.toString()), refused.getMessage());
    }

    /** Writes a value as a bug or a disk fault could leave it. */
    private void writeBehindTheStoresBack(KeyId keyId, byte[] value) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement put = connection.prepareStatement("INSERT INTO licenses VALUES (?, ?)")) {
            put.setBytes(1, keyId.bytes());
            put.setBytes(2, value);
            put.executeUpdate();
        }
    }

    @Test
    void refusesAFileThatIsNotAStoreNamingItAndWhatToDo() throws Exception {
        Path garbage = folder.resolve("garbage.db");
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(garbage, noise);

        StoreException refused = assertThrows(StoreException.class, () -> EmbeddedLicenseStore.open(garbage, 1));
        assertTrue(refused.getMessage().contains(garbage.toString()) && refused.getMessage().contains("backup"),
                refused.getMessage());
    }

    @Test
    void refusesTheDatabaseOfAnotherApplication() throws Exception {
        Path other = folder.resolve("other.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + other);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE songs (title TEXT)");
        }

        StoreException refused = assertThrows(StoreException.class, () -> EmbeddedLicenseStore.open(other, 1));
        assertTrue(refused.getMessage().contains(other.toString()) && refused.getMessage().contains("another application"),
                refused.getMessage());
    }

    @Test
    void refusesAHomeThatIsAFile() throws Exception {
        Path notAFolder = Files.createFile(folder.resolve("home"));

        StoreException refused = assertThrows(StoreException.class,
                () -> EmbeddedLicenseStore.open(notAFolder.resolve("licenses.db"), 1));
        assertTrue(refused.getMessage().contains(notAFolder.toString()), refused.getMessage());
    }

    @Test
    void refusesACacheBelowOneMebibyte() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedLicenseStore.open(folder.resolve("other.db"), 0));
    }

    @Test
    void failsWithStoreExceptionOnceClosed() {
        StoreTransaction open = store.begin();
        embedded().close();

        assertThrows(StoreException.class, store::count);
        assertThrows(StoreException.class, () -> store.find(license(1).keyId()));
        assertThrows(StoreException.class, store::licenses);
        assertThrows(StoreException.class, store::begin);
        assertThrows(StoreException.class, () -> open.put(List.of(license(1))));
        open.close();
    }

    @Test
    void aStreamFailsWithStoreExceptionWhenTheStoreClosesUnderIt() {
        commit(licenses(0, 10));
        try (Stream<License> stream = store.licenses()) {
            embedded().close();

            assertThrows(StoreException.class, () -> stream.forEach(license -> { }));
        }
    }

    @Test
    void createsItsFilesReadableByTheOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(folder).supportsFileAttributeView("posix"));
        commit(List.of(license(1)));

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(file.resolveSibling("licenses.db-wal")));
    }

    @Test
    void leavesOnlyItsFileOfLicensesBehindOnceClosed() throws Exception {
        commit(licenses(0, 100));

        embedded().close();

        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.filter(path -> path.getFileName().toString().startsWith("licenses")).toList());
        }
    }

    @Test
    void reportsTheFileItKeeps() {
        assertEquals(file.toAbsolutePath(), embedded().file());
    }
}
