package org.licensebackup.api;

/**
 * How to back up.
 *
 * @param overwrite replace an existing backup in the directory (atomically); without it an
 *     existing backup makes the operation fail with {@link ErrorCode#BACKUP_EXISTS}
 */
public record BackupOptions(boolean overwrite) {

    /** Fails with {@link ErrorCode#BACKUP_EXISTS} where a backup exists. */
    public static BackupOptions defaults() {
        return new BackupOptions(false);
    }

    public static BackupOptions overwriting() {
        return new BackupOptions(true);
    }
}
