package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Instant;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;

/**
 * Backs the store up into a new backup file ({@link StoreSnapshot}): the directory's single backup,
 * or one named by its time beside the others ({@link BackupOptions#adding()}).
 */
final class BackupJob extends Job {

    private final Path directory;
    private final BackupOptions options;

    BackupJob(RunningOperation operation, Collaborators with, Path directory, BackupOptions options) {
        super(operation, with);
        this.directory = directory;
        this.options = options;
    }

    @Override
    void work() throws Exception {
        Instant now = clock.instant();
        backupFile = directory.resolve(options.timestamped() ? BackupFiles.timestampedName(now) : BackupRestorer.BACKUP_FILE_NAME);
        sourceDeviceId = with.device().deviceId();
        total = with.store().count();
        events.begin(backupFile, total);
        bytes = new StoreSnapshot(with).write(backupFile, options.overwrite(), now, countingEachLicense());
    }
}
