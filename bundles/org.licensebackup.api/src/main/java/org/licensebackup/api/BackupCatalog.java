package org.licensebackup.api;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The backups of a directory, and backups a host asks for before a risky change. Offered as a
 * service by the bundle that offers {@link BackupRestorer}. Since API 1.3.
 *
 * <p>A directory holds the single backup {@link BackupRestorer#BACKUP_FILE_NAME} (as before API
 * 1.3) and any number of backups named {@code licenses-<UTC time>.lbk} ({@link BackupOptions#adding()},
 * schedules and safety backups write these). A restore or verify of a directory takes the newest of
 * them all by the time in its header; given a backup file, it takes that one.
 */
@ProviderType
public interface BackupCatalog {

    /**
     * The backups in {@code directory}, newest first; other files are not listed. Reads each
     * backup's header (and checks its device signature), not its licenses.
     *
     * @return empty when the directory holds none or does not exist
     * @throws BackupRestoreException {@link ErrorCode#BAD_DATA} for a null argument,
     *     {@link ErrorCode#IO_ERROR} when the directory cannot be read
     */
    List<BackupInfo> list(Path directory);

    /**
     * Deletes one backup (and what a verify kept beside it), as retention does. Never while an
     * operation runs: a backup being written, or a restore reading, is never raced.
     *
     * @param backup a backup file as {@link #list} gives it
     * @throws BackupRestoreException {@link ErrorCode#BUSY} while an operation runs,
     *     {@link ErrorCode#BAD_DATA} for a file not named as a backup, {@link ErrorCode#NO_BACKUP} when
     *     it is not there, {@link ErrorCode#IO_ERROR} when it cannot be deleted
     */
    void delete(Path backup);

    /**
     * Starts a backup before a risky change (an update of the host, a store migration), into the
     * safety directory, beside the safety backups made before. A restore over a non-empty store
     * makes one by itself first.
     *
     * @return the running backup
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs,
     *     {@link ErrorCode#NO_LOCATION} when there is no safety directory
     */
    Operation backupBeforeChange();

    /** Where safety backups go ({@code safety.directory} of the restorer's configuration, or its default). */
    Path safetyDirectory();
}
