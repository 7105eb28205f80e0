package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.licensebackup.api.Reason;
import org.licensebackup.license.License;

/**
 * Backups made before a risky change: by a host that asks ({@code BackupCatalog.backupBeforeChange}),
 * and by a restore before it writes into a store that holds licenses. They go into one directory,
 * named by their time, and only the newest {@code keep} of those named so are kept there; other files
 * in it are left alone.
 *
 * @param directory where they go
 * @param keep how many are kept, at least 1
 */
record SafetyBackups(Path directory, int keep) {

    SafetyBackups {
        keep = Math.max(1, keep);
    }

    /**
     * Writes a safety backup of the store as {@code with} has it, then deletes the oldest beyond {@code keep}.
     *
     * @return the backup file
     */
    Path write(Collaborators with, Instant now, StoreSnapshot.Listener listener) throws IOException {
        Path target = directory.resolve(BackupFiles.timestampedName(now));
        new StoreSnapshot(with).write(target, false, now, listener);
        prune(target);
        return target;
    }

    /** A listener that only lets the operation be cancelled, for a safety backup that is part of another operation. */
    static StoreSnapshot.Listener quiet(Runnable cancel) {
        return new StoreSnapshot.Listener() {
            @Override
            public void checkCancelled() {
                cancel.run();
            }

            @Override
            public void excluded(License license, Reason reason) {
                // a license that cannot be backed up is not one a restore can give back either
            }

            @Override
            public void written(License license) {
            }

            @Override
            public void progress(License license, long bytes) {
            }
        };
    }

    /** Deletes the oldest safety backups beyond {@code keep}; never {@code justWritten}. */
    private void prune(Path justWritten) throws IOException {
        List<Path> timestamped;
        try (Stream<Path> files = Files.list(directory)) {
            timestamped = files.filter(file -> BackupFiles.isTimestampedName(file.getFileName().toString()))
                    .sorted()
                    .toList();
        }
        for (Path old : timestamped.subList(0, Math.max(0, timestamped.size() - keep))) {
            if (!old.equals(justWritten)) {
                Files.deleteIfExists(old);
            }
        }
    }
}
