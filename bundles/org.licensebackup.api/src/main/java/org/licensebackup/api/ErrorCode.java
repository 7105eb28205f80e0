package org.licensebackup.api;

/**
 * Why an operation could not start or did not complete. Carried by {@link BackupRestoreException}
 * and by the {@link EventProperties#ERROR_CODE} of a failed or cancelled {@code END} event.
 */
public enum ErrorCode {
    /** A backup already exists in the directory and overwrite was not asked for. */
    BACKUP_EXISTS,
    /** The backup is damaged, truncated, altered or forged; nothing was written. */
    BACKUP_CORRUPT,
    /** An argument or a file is not of a form this version understands (unknown version, algorithm, null argument). */
    BAD_DATA,
    /** Another operation is running; one runs at a time. */
    BUSY,
    /** The backup was made for another license management service or is not genuine. */
    RESTORE_FRAUD,
    /** No license management service is available to authorize the restore. */
    RESTORE_SERVICE_UNAVAILABLE,
    /** The backup was made on another device and the host did not consent to re-binding. */
    REBIND_NOT_CONSENTED,
    /** No backup in the directory. */
    NO_BACKUP,
    /** No location was given and none is configured. */
    NO_LOCATION,
    /** No license store is available. */
    STORE_UNAVAILABLE,
    /** Reading or writing failed (disk full, permission denied, network mount gone). */
    IO_ERROR,
    /** The operation was cancelled. */
    CANCELLED,
    /** An unexpected fault; the message says more. */
    INTERNAL_ERROR,
    /**
     * A restore wrote nothing because every license in the backup was rejected (the reasons are in
     * the report); the store is as it was. Reported by hosts that read a report, such as the command line.
     */
    NOTHING_RESTORED
}
