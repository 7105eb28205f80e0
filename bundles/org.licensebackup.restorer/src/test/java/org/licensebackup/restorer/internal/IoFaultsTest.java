package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.license.KeyId;
import org.licensebackup.restorer.internal.FaultyFileSystem.Fault;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.memory.InMemoryLicenseStore;

/**
 * I/O faults under the backup format (through {@link FaultyFileSystem}) and under the store (a store
 * whose reads or commit fail): each operation ends with its documented error code, and nothing is
 * lost: the previous backup is intact, byte for byte, no temporary file is left, and the store is
 * as it was.
 */
class IoFaultsTest {

    private static final int LICENSES = 300;
    /** Past the header and the first chunk: the fault strikes in the middle of the records. */
    private static final long MIDWAY = 40_000;

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();
    private final DeviceIdentity device = TestDevices.generate();
    private final LicenseStore store = jobs.storeWith(device, LICENSES);

    @AfterEach
    void closeTheJobRunner() {
        jobs.close();
    }

    @Test
    void aWriteThatFailsMidwayIsAnIoErrorAndThePreviousBackupStays() throws Exception {
        assertABackupFailsAndThePreviousStays(new FaultyFileSystem(Fault.WRITE_FAILS, BackupRestorer.BACKUP_FILE_NAME, MIDWAY));
    }

    @Test
    void aFullDiskIsAnIoErrorThatSaysSoAndThePreviousBackupStays() throws Exception {
        BackupRestoreException failure = assertABackupFailsAndThePreviousStays(
                new FaultyFileSystem(Fault.DISK_FULL, BackupRestorer.BACKUP_FILE_NAME, MIDWAY));
        assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
    }

    @Test
    void aForceThatFailsIsAnIoErrorAndThePreviousBackupStays() throws Exception {
        assertABackupFailsAndThePreviousStays(new FaultyFileSystem(Fault.FORCE_FAILS, BackupRestorer.BACKUP_FILE_NAME, 0));
    }

    @Test
    void aRenameThatFailsIsAnIoErrorAndThePreviousBackupStays() throws Exception {
        assertABackupFailsAndThePreviousStays(new FaultyFileSystem(Fault.RENAME_FAILS, BackupRestorer.BACKUP_FILE_NAME, 0));
    }

    @Test
    void aReadOnlyDestinationIsAnIoErrorAndThePreviousBackupStays() throws Exception {
        assertABackupFailsAndThePreviousStays(new FaultyFileSystem(Fault.READ_ONLY, BackupRestorer.BACKUP_FILE_NAME, 0));
    }

    @Test
    void shortReadsRestoreEveryLicense() throws Exception {
        backUpWholly();
        FaultyFileSystem shortReads = new FaultyFileSystem(Fault.SHORT_READS, BackupRestorer.BACKUP_FILE_NAME, 0);
        LicenseStore emptied = new InMemoryLicenseStore();

        JobRunner.result(jobs.restore(device, emptied, null, shortReads.path(directory), RestoreOptions.defaults()));

        assertTrue(shortReads.struck.get() > 0, "no read was cut short");
        assertEquals(JobRunner.keyIds(store), JobRunner.keyIds(emptied));
    }

    @Test
    void aReadThatFailsMidwayIsAnIoErrorAndTheStoreStaysAsItWas() throws Exception {
        backUpWholly();
        FaultyFileSystem failingReads = new FaultyFileSystem(Fault.READ_FAILS, BackupRestorer.BACKUP_FILE_NAME, MIDWAY);
        LicenseStore partlyFilled = jobs.storeWith(device, 3);
        List<KeyId> before = JobRunner.keyIds(partlyFilled);

        BackupRestoreException failure = JobRunner.failure(jobs.restore(device, partlyFilled, null,
                failingReads.path(directory), RestoreOptions.defaults()));

        System.out.println("read fails midway: " + failure.code() + ": " + failure.getMessage());
        assertTrue(failingReads.struck.get() > 0, "no read failed");
        assertEquals(ErrorCode.IO_ERROR, failure.code(), failure::getMessage);
        assertEquals(before, JobRunner.keyIds(partlyFilled));
    }

    @Test
    void aStoreThatFailsMidwayThroughABackupIsStoreUnavailableAndThePreviousBackupStays() throws Exception {
        backUpWholly();
        byte[] previous = Files.readAllBytes(backupFile());

        BackupRestoreException failure = JobRunner.failure(jobs.backup(device, new FailingStore(store, LICENSES / 2, false),
                null, directory, BackupOptions.overwriting()));

        assertEquals(ErrorCode.STORE_UNAVAILABLE, failure.code(), failure::getMessage);
        assertArrayEquals(previous, Files.readAllBytes(backupFile()));
        assertEquals(List.of(BackupRestorer.BACKUP_FILE_NAME), filesIn(directory));
    }

    @Test
    void aStoreWhoseCommitFailsIsStoreUnavailableAndHoldsWhatItHeld() throws Exception {
        backUpWholly();
        LicenseStore partlyFilled = jobs.storeWith(device, 3);
        List<KeyId> before = JobRunner.keyIds(partlyFilled);

        BackupRestoreException failure = JobRunner.failure(jobs.restore(device,
                new FailingStore(partlyFilled, Long.MAX_VALUE, true), null, directory, RestoreOptions.defaults()));

        assertEquals(ErrorCode.STORE_UNAVAILABLE, failure.code(), failure::getMessage);
        assertEquals(before, JobRunner.keyIds(partlyFilled));
    }

    /** A backup through {@code faults}, over a whole one: fails with IO_ERROR, the whole one intact, nothing else left. */
    private BackupRestoreException assertABackupFailsAndThePreviousStays(FaultyFileSystem faults) throws Exception {
        backUpWholly();
        byte[] previous = Files.readAllBytes(backupFile());

        BackupRestoreException failure = JobRunner.failure(jobs.backup(device, store, null, faults.path(directory),
                BackupOptions.overwriting()));

        System.out.println(faults + ": " + failure.code() + ": " + failure.getMessage());
        assertTrue(faults.struck.get() > 0, "the fault never struck");
        assertEquals(ErrorCode.IO_ERROR, failure.code(), failure::getMessage);
        assertArrayEquals(previous, Files.readAllBytes(backupFile()));
        assertEquals(List.of(BackupRestorer.BACKUP_FILE_NAME), filesIn(directory));
        LicenseStore restored = new InMemoryLicenseStore();
        JobRunner.result(jobs.restore(device, restored, null, directory, RestoreOptions.defaults()));
        assertEquals(JobRunner.keyIds(store), JobRunner.keyIds(restored));
        return failure;
    }

    private void backUpWholly() throws Exception {
        JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.overwriting()));
    }

    private Path backupFile() {
        return directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
