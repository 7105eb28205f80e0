package org.licensebackup.api;

/**
 * What is known of a backup's soundness, for a listing ({@link BackupInfo#state()}). Since API 1.3.
 */
public enum BackupState {
    /** Its last {@link BackupRestorer#verify} completed: a restore would take it. */
    VERIFIED,
    /** Its header reads and its device signature holds; it was not verified (or changed since). */
    NOT_VERIFIED,
    /** Its last verify failed (damaged, forged, or unopenable by the service now in use). */
    VERIFY_FAILED,
    /** Its header does not read or its device signature does not hold: a restore would refuse it. */
    UNREADABLE
}
