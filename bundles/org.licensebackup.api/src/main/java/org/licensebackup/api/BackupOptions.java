package org.licensebackup.api;

/**
 * How to back up.
 *
 * <p>Two ways to name the backup. The single backup {@link BackupRestorer#BACKUP_FILE_NAME}, as
 * Windows Media DRM kept one: {@link #defaults()} fails where it exists, {@link #overwriting()}
 * replaces it. Or a new backup beside those already in the directory ({@link #adding()}), named
 * {@code licenses-<UTC time>.lbk} so that names sort by time; it never replaces another. A restore
 * or verify of a directory takes its newest backup, of either kind (see {@link BackupCatalog}).
 *
 * @param overwrite replace an existing backup in the directory (atomically); without it an
 *     existing backup makes the operation fail with {@link ErrorCode#BACKUP_EXISTS}
 * @param timestamped write a new backup named by its time beside the others, rather than the single
 *     {@link BackupRestorer#BACKUP_FILE_NAME}; {@code overwrite} then only matters for a backup of
 *     the same name, made within the same millisecond. Since API 1.3.
 */
public record BackupOptions(boolean overwrite, boolean timestamped) {

    /** The single backup of a directory, with or without replacing it, as before API 1.3. */
    public BackupOptions(boolean overwrite) {
        this(overwrite, false);
    }

    /** The single backup; fails with {@link ErrorCode#BACKUP_EXISTS} where it exists. */
    public static BackupOptions defaults() {
        return new BackupOptions(false);
    }

    /** The single backup, replacing the one there (atomically: a crash leaves the old one). */
    public static BackupOptions overwriting() {
        return new BackupOptions(true);
    }

    /** A new backup named by its time, beside the others. Since API 1.3. */
    public static BackupOptions adding() {
        return new BackupOptions(false, true);
    }
}
