package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;

/**
 * Several backups in one directory: named by time, listed newest first with their device, count and
 * verified state; a restore or verify takes the newest or a named one; the single backup of API 1.2
 * stays readable; a restore over a non-empty store backs it up first.
 */
class BackupCatalogTest {

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();
    private final DeviceIdentity device = TestDevices.generate();

    @AfterEach
    void close() {
        jobs.close();
    }

    @Test
    void backupsAddedToADirectoryAreListedNewestFirstWithTheirDeviceAndCount() throws Exception {
        LicenseStore store = jobs.storeWith(device, 2);
        Path first = JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding())).backupFile();
        addLicense(store);
        Path second = JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding())).backupFile();
        Files.writeString(directory.resolve("notes.txt"), "not a backup");

        List<BackupInfo> listed = BackupFiles.list(directory, device, jobs.verifyRecords());

        assertEquals(List.of(second, first), listed.stream().map(BackupInfo::file).toList());
        assertEquals(List.of(3L, 2L), listed.stream().map(BackupInfo::licenseCount).toList());
        assertTrue(listed.stream().allMatch(backup -> backup.deviceId().equals(device.deviceId())));
        assertTrue(listed.stream().allMatch(backup -> backup.state() == BackupState.NOT_VERIFIED));
        assertTrue(second.getFileName().toString().compareTo(first.getFileName().toString()) > 0,
                "names sort by time: " + first + ", " + second);
    }

    @Test
    void aRestoreOfTheDirectoryTakesTheNewestBackupAndANamedOneTakesThatOne() throws Exception {
        LicenseStore store = jobs.storeWith(device, 2);
        Path older = JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding())).backupFile();
        addLicense(store);
        JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding()));

        assertEquals(3, JobRunner.result(jobs.restore(device, new InMemoryLicenseStore(), null, directory,
                RestoreOptions.defaults())).succeeded());
        assertEquals(2, JobRunner.result(jobs.restore(device, new InMemoryLicenseStore(), null, older,
                RestoreOptions.defaults())).succeeded());
    }

    @Test
    void theSingleBackupOfBeforeStaysReadableAndCountsByItsTimeAmongTheOthers() throws Exception {
        LicenseStore store = jobs.storeWith(device, 1);
        JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding()));
        addLicense(store);
        Path single = JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.defaults())).backupFile();

        assertEquals(directory.resolve(BackupRestorer.BACKUP_FILE_NAME), single);
        assertEquals(single, BackupFiles.list(directory, device, jobs.verifyRecords()).get(0).file());
        assertEquals(2, JobRunner.result(jobs.restore(device, new InMemoryLicenseStore(), null, directory,
                RestoreOptions.defaults())).succeeded());
        assertEquals(ErrorCode.BACKUP_EXISTS,
                JobRunner.failure(jobs.backup(device, store, null, directory, BackupOptions.defaults())).code());
    }

    @Test
    void aVerifyIsRememberedInTheListingUntilTheFileChangesAndWritesNothingBesideTheBackup() throws Exception {
        LicenseStore store = jobs.storeWith(device, 2);
        Path good = JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding())).backupFile();
        JobRunner.result(jobs.verify(device, null, good));
        assertEquals(BackupState.VERIFIED, BackupFiles.list(directory, device, jobs.verifyRecords()).get(0).state());
        try (var files = Files.list(directory)) {
            assertEquals(List.of(good), files.toList());
        }

        flipLastByte(good);
        assertEquals(BackupState.NOT_VERIFIED, BackupFiles.list(directory, device, jobs.verifyRecords()).get(0).state());
        assertEquals(ErrorCode.BACKUP_CORRUPT, JobRunner.failure(jobs.verify(device, null, good)).code());
        assertEquals(BackupState.VERIFY_FAILED, BackupFiles.list(directory, device, jobs.verifyRecords()).get(0).state());
    }

    @Test
    void aBackupWhoseHeaderDoesNotReadIsListedAsUnreadable() throws Exception {
        Files.write(directory.resolve(BackupFiles.timestampedName(Instant.now())), new byte[100]);

        assertEquals(BackupState.UNREADABLE, BackupFiles.list(directory, device, jobs.verifyRecords()).get(0).state());
    }

    @Test
    void aRestoreIntoAStoreThatHoldsLicensesBacksThemUpFirst() throws Exception {
        LicenseStore store = jobs.storeWith(device, 2);
        JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding()));
        LicenseStore current = jobs.storeWith(device, 4);
        var before = JobRunner.keyIds(current);
        jobs.safetyDirectory = directory.resolve("safety");

        JobRunner.result(jobs.restore(device, current, null, directory, RestoreOptions.defaults()));

        List<BackupInfo> safety = BackupFiles.list(jobs.safetyDirectory, device, null);
        assertEquals(1, safety.size());
        assertEquals(4, safety.get(0).licenseCount());
        LicenseStore fromSafety = new InMemoryLicenseStore();
        JobRunner.result(jobs.restore(device, fromSafety, null, safety.get(0).file(), RestoreOptions.defaults()));
        assertEquals(before, JobRunner.keyIds(fromSafety));
    }

    @Test
    void aRestoreIntoAnEmptyStoreMakesNoSafetyBackup() throws Exception {
        JobRunner.result(jobs.backup(device, jobs.storeWith(device, 2), null, directory, BackupOptions.adding()));
        jobs.safetyDirectory = directory.resolve("safety");

        JobRunner.result(jobs.restore(device, new InMemoryLicenseStore(), null, directory, RestoreOptions.defaults()));

        assertEquals(List.of(), BackupFiles.list(jobs.safetyDirectory, device, null));
    }

    @Test
    void onlyTheNewestSafetyBackupsAreKeptAndOtherFilesThereAreLeftAlone() throws Exception {
        jobs.safetyDirectory = directory;
        jobs.safetyKept = 2;
        Path mine = Files.writeString(directory.resolve("my-notes.lbk"), "the user's");
        LicenseStore store = jobs.storeWith(device, 1);
        Report last = null;
        Instant start = Instant.now();
        for (int n = 0; n < 4; n++) {
            jobs.clock = Clock.fixed(start.plusSeconds(n), ZoneOffset.UTC);
            last = JobRunner.result(jobs.backupBeforeChange(device, store));
        }

        List<BackupInfo> kept = BackupFiles.list(directory, device, jobs.verifyRecords());
        assertEquals(2, kept.size());
        assertEquals(last.backupFile(), kept.get(0).file());
        assertEquals(1, last.succeeded());
        assertTrue(Files.exists(mine));
    }

    private void addLicense(LicenseStore store) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(jobs.issuer.issue(LicenseSpec.of("Added", JobRunner.BACKUP_ALLOWED), device.deviceId(),
                    device.agreementPublicKey())));
            transaction.commit();
        }
    }

    private static void flipLastByte(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            last.put(0, (byte) (last.get(0) ^ 1));
            channel.write(last.rewind(), channel.size() - 1);
        }
    }
}
