package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensebackup.store.NumberedLicenses.license;
import static org.licensebackup.store.NumberedLicenses.licenses;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.License;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * A store of an earlier version (H2 MVStore, written here by that version's own code,
 * {@link MvLicenseStore}) is migrated at the first open: every license it committed, and nothing it
 * did not; the old file kept aside, never deleted; a migration cut short done again or finished.
 */
class StoreMigrationTest {

    private static final int LICENSES = 5_000;

    @TempDir
    Path home;

    /** An old store as a crash of the old version could leave it: committed licenses, and a transaction never committed. */
    private Path oldStore(Path file, List<License> committed) {
        MvLicenseStore old = MvLicenseStore.open(file, 1);
        try (StoreTransaction transaction = old.begin()) {
            transaction.put(committed);
            transaction.commit();
        }
        StoreTransaction neverCommitted = old.begin();
        neverCommitted.put(licenses(LICENSES, LICENSES + 100));
        neverCommitted.delete(List.of(committed.get(0).keyId()));
        old.close();
        return file;
    }

    private static Set<License> everyLicense(EmbeddedLicenseStore store) {
        try (Stream<License> licenses = store.licenses()) {
            return Set.copyOf(licenses.toList());
        }
    }

    @Test
    void theDefaultStoreTakesTheLicensesOfTheOldStoreInTheSameHomeAndKeepsItAside() throws Exception {
        Path old = oldStore(home.resolve("licenses.mv.db"), licenses(0, LICENSES));
        byte[] oldBytes = Files.readAllBytes(old);

        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1)) {
            assertEquals(LICENSES, store.count());
            assertEquals(Set.copyOf(licenses(0, LICENSES)), everyLicense(store));
        }

        assertFalse(Files.exists(old));
        Path aside = home.resolve("licenses.mv.db.migrated");
        assertTrue(Files.exists(aside));
        // still an old store that the old version reads, with all it had
        try (MvLicenseStore kept = MvLicenseStore.open(aside, 1)) {
            assertEquals(LICENSES, kept.count());
        }
        assertFalse(Files.exists(home.resolve("licenses.db" + StoreMigration.PARTIAL_SUFFIX)));
        assertTrue(oldBytes.length > 0);
    }

    @Test
    void withoutH2AnOldStoreIsRefusedWithWhatToInstallAndEveryFileStaysAsItWas() throws Exception {
        Path old = oldStore(home.resolve("licenses.mv.db"), licenses(0, 10));
        byte[] oldBytes = Files.readAllBytes(old);
        Path store = home.resolve("licenses.db");

        StoreException refused = assertThrows(StoreException.class, () -> StoreMigration.migrateIfFound(store, 1, false));

        assertTrue(refused.getMessage().contains("com.h2database") && refused.getMessage().contains(old.toString()),
                refused.getMessage());
        assertArrayEquals(oldBytes, Files.readAllBytes(old));
        assertEquals(List.of(old), Files.list(home).toList());
        assertTrue(StoreMigration.mvStoreInstalled(), "H2 is on this test's class path");
    }

    @Test
    void withoutH2AHomeWithoutAnOldStoreOpensAsEver() {
        assertEquals(-1, StoreMigration.migrateIfFound(home.resolve("licenses.db"), 1, false));
    }

    @Test
    void aConfiguredFileThatIsAnOldStoreBecomesTheNewStoreUnderTheSameName() {
        Path configured = oldStore(home.resolve("custom.mv.db"), licenses(0, LICENSES));

        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(configured, 1)) {
            assertEquals(Set.copyOf(licenses(0, LICENSES)), everyLicense(store));
        }

        assertFalse(StoreMigration.isLegacyStore(configured));
        assertTrue(StoreMigration.isLegacyStore(home.resolve("custom.mv.db.migrated")));
    }

    @Test
    void aMigratedStoreIsNotMigratedAgainNorReplacedByAnOldFileThatTurnsUpLater() {
        oldStore(home.resolve("licenses.mv.db"), licenses(0, 10));
        EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1).close();
        Path lateOldStore = oldStore(home.resolve("licenses.mv.db"), licenses(100, 200));

        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1)) {
            assertEquals(Set.copyOf(licenses(0, 10)), everyLicense(store));
        }
        assertTrue(Files.exists(lateOldStore), "an old file beside a store in use is left alone");
    }

    @Test
    void aMigrationCutShortWhileCopyingStartsOverAndLosesNothing() throws Exception {
        oldStore(home.resolve("licenses.mv.db"), licenses(0, LICENSES));
        // what a start killed in the middle of the copy leaves
        Path partial = home.resolve("licenses.db" + StoreMigration.PARTIAL_SUFFIX);
        Files.write(partial, "half a copy".getBytes(StandardCharsets.US_ASCII));

        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1)) {
            assertEquals(Set.copyOf(licenses(0, LICENSES)), everyLicense(store));
        }
        assertFalse(Files.exists(partial));
    }

    @Test
    void aMigrationCutShortAfterTheOldFileWentAsideIsFinished() throws Exception {
        oldStore(home.resolve("licenses.mv.db"), licenses(0, LICENSES));
        EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1).close();
        // what a start killed between its two renames leaves: the old file aside, the copy not yet in place
        Files.move(home.resolve("licenses.db"), home.resolve("licenses.db" + StoreMigration.PARTIAL_SUFFIX));

        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1)) {
            assertEquals(Set.copyOf(licenses(0, LICENSES)), everyLicense(store));
        }
    }

    @Test
    void anOldStoreThatCannotBeReadIsLeftAsItIsWithAnErrorSayingWhatToDo() throws Exception {
        Path old = home.resolve("licenses.mv.db");
        byte[] damaged = "H:2,block:2,blockSize:1000,chunk:1,created:0,format:3 and then nothing that makes sense"
                .getBytes(StandardCharsets.US_ASCII);
        Files.write(old, damaged);

        StoreException refused = assertThrows(StoreException.class, () -> EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1));

        assertTrue(refused.getMessage().contains(old.toString()) && refused.getMessage().contains("newest backup"),
                refused.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(old));
        assertFalse(Files.exists(home.resolve("licenses.db")));
    }

    @Test
    void anEarlierAsideFileIsNeverReplaced() throws Exception {
        Path earlier = Files.writeString(home.resolve("licenses.mv.db.migrated"), "an earlier one");
        oldStore(home.resolve("licenses.mv.db"), licenses(0, 10));

        EmbeddedLicenseStore.open(home.resolve("licenses.db"), 1).close();

        assertEquals("an earlier one", Files.readString(earlier));
        assertTrue(StoreMigration.isLegacyStore(home.resolve("licenses.mv.db.migrated-2")));
    }
}
