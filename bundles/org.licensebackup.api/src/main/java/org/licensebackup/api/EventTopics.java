package org.licensebackup.api;

/**
 * The EventAdmin topics of backups and restores. Every event of one operation is posted from one
 * thread, in order, and numbered ({@link EventProperties#SEQUENCE}), so a handler can draw a
 * progress bar and tell the user, by title, which licenses were left out.
 */
public final class EventTopics {

    /** The prefix of every topic. */
    public static final String PREFIX = "org/licensebackup/";

    /** A backup started; carries {@link EventProperties#TOTAL} and {@link EventProperties#LOCATION}. */
    public static final String BACKUP_BEGIN = PREFIX + "backup/BEGIN";
    /** How far a backup is; rate-limited. */
    public static final String BACKUP_PROGRESS = PREFIX + "backup/PROGRESS";
    /** One license was not backed up; carries its key ID, title and reason. */
    public static final String BACKUP_RESTRICTED_LICENSE = PREFIX + "backup/RESTRICTED_LICENSE";
    /** A backup ended; carries its status and, unless it completed, an error code. */
    public static final String BACKUP_END = PREFIX + "backup/END";
    /** Every backup topic, for a handler's {@code event.topics}. */
    public static final String BACKUP_ALL = PREFIX + "backup/*";

    /** The restore is connecting to the license management service. */
    public static final String RESTORE_CONNECTING = PREFIX + "restore/CONNECTING";
    /** A restore started; carries {@link EventProperties#TOTAL} and {@link EventProperties#LOCATION}. */
    public static final String RESTORE_BEGIN = PREFIX + "restore/BEGIN";
    /** How far a restore is; rate-limited. */
    public static final String RESTORE_PROGRESS = PREFIX + "restore/PROGRESS";
    /** One license was not restored; carries its key ID, title and reason. */
    public static final String RESTORE_REJECTED_LICENSE = PREFIX + "restore/REJECTED_LICENSE";
    /** The restore is disconnecting from the license management service. */
    public static final String RESTORE_DISCONNECTING = PREFIX + "restore/DISCONNECTING";
    /** A restore ended; carries its status and, unless it completed, an error code. */
    public static final String RESTORE_END = PREFIX + "restore/END";
    /** Every restore topic, for a handler's {@code event.topics}. */
    public static final String RESTORE_ALL = PREFIX + "restore/*";

    /** A verify is connecting to the license management service. */
    public static final String VERIFY_CONNECTING = PREFIX + "verify/CONNECTING";
    /** A verify started; carries {@link EventProperties#TOTAL} and {@link EventProperties#LOCATION}. */
    public static final String VERIFY_BEGIN = PREFIX + "verify/BEGIN";
    /** How far a verify is; rate-limited. */
    public static final String VERIFY_PROGRESS = PREFIX + "verify/PROGRESS";
    /** One license that a restore would reject; carries its key ID, title and reason. */
    public static final String VERIFY_REJECTED_LICENSE = PREFIX + "verify/REJECTED_LICENSE";
    /** A verify is disconnecting from the license management service. */
    public static final String VERIFY_DISCONNECTING = PREFIX + "verify/DISCONNECTING";
    /** A verify ended: COMPLETED when the backup is sound, else FAILED with the error a restore would meet. */
    public static final String VERIFY_END = PREFIX + "verify/END";
    /** Every verify topic, for a handler's {@code event.topics}. */
    public static final String VERIFY_ALL = PREFIX + "verify/*";

    /** A release is connecting to the license management service. */
    public static final String RELEASE_CONNECTING = PREFIX + "release/CONNECTING";
    /** A release started; carries {@link EventProperties#TOTAL}, the key IDs given. */
    public static final String RELEASE_BEGIN = PREFIX + "release/BEGIN";
    /** A release is disconnecting from the license management service. */
    public static final String RELEASE_DISCONNECTING = PREFIX + "release/DISCONNECTING";
    /** A release ended; {@link EventProperties#SUCCEEDED} counts the licenses given back. */
    public static final String RELEASE_END = PREFIX + "release/END";
    /** Every release topic, for a handler's {@code event.topics}. */
    public static final String RELEASE_ALL = PREFIX + "release/*";

    private EventTopics() {
    }
}
