package org.licensebackup.api;

/**
 * The property keys of the events under {@link EventTopics}. No event carries a content key or any
 * other secret.
 */
public final class EventProperties {

    /** {@code String}, every event: the {@link Operation#id()}. */
    public static final String OPERATION_ID = "operation.id";
    /** {@code Long}, every event: 1 for the first event of an operation, then one more each event. */
    public static final String SEQUENCE = "sequence";
    /** {@code String}, BEGIN and (since 1.3) END when known: the backup file. */
    public static final String LOCATION = "location";
    /** {@code Long}, BEGIN, PROGRESS and END: licenses in all. */
    public static final String TOTAL = "total";
    /**
     * {@code Long}, PROGRESS and END: licenses handled so far; at END, the licenses the operation
     * looked at ({@link Report#considered()}).
     */
    public static final String DONE = "done";
    /** {@code Long}, PROGRESS and END: bytes of the backup file written or read so far. */
    public static final String BYTES = "bytes";
    /** {@code String}, PROGRESS, RESTRICTED_LICENSE and REJECTED_LICENSE: a key ID, base64. */
    public static final String KEY_ID = "key.id";
    /** {@code String}, RESTRICTED_LICENSE and REJECTED_LICENSE: the content's title. */
    public static final String TITLE = "title";
    /** {@code String}, RESTRICTED_LICENSE and REJECTED_LICENSE: a {@link Reason} name. */
    public static final String REASON = "reason";
    /**
     * {@code String}: where the user can learn more about a rejected license or acquire another one,
     * as the license management service gave it; only on {@code REJECTED_LICENSE} events that have one.
     */
    public static final String SUPPORT_URL = "support.url";
    /** {@code String}, END: an {@link OperationStatus} name. */
    public static final String STATUS = "status";
    /** {@code String}, END when not COMPLETED: an {@link ErrorCode} name. */
    public static final String ERROR_CODE = "error.code";
    /** {@code String}, END when not COMPLETED: what went wrong, for a log. */
    public static final String MESSAGE = "message";
    /** {@code Long}, END: licenses backed up or restored. */
    public static final String SUCCEEDED = "succeeded";
    /** {@code Long}, END: licenses excluded or rejected. */
    public static final String LEFT_OUT = "left.out";
    /**
     * {@code Long}, END: licenses the store already held in the same state or newer ({@link Report#unchanged()}),
     * 0 for a backup. Since 1.3.
     */
    public static final String UNCHANGED = "unchanged";
    /**
     * {@code Long}, END: licenses left out that the report does not list one by one
     * ({@link Report#leftOutNotListed()}); the events named every one. Since 1.3.
     */
    public static final String LEFT_OUT_NOT_LISTED = "left.out.not.listed";
    /**
     * {@code Integer}, verify END when the license management service was asked: {@link Report#fewestDevicesLeft()}.
     * Since 1.3.
     */
    public static final String FEWEST_DEVICES_LEFT = "fewest.devices.left";
    /** {@code String}, END when known: the ID of the device that made the backup. Since 1.3. */
    public static final String SOURCE_DEVICE_ID = "source.device.id";
    /** {@code Long}, END: how long the operation ran, in milliseconds. Since 1.3. */
    public static final String ELAPSED_MS = "elapsed.ms";
    /** The prefix of {@link #leftOut(Reason)}'s keys. Since 1.3. */
    public static final String LEFT_OUT_REASON_PREFIX = "left.out.";

    /**
     * {@code Long}, END: how many licenses were left out for {@code reason}
     * ({@link Report#leftOutByReason()}); present only for reasons that occurred. Since 1.3.
     *
     * @return {@code left.out.} and the reason's name, e.g. {@code left.out.BACKUP_NOT_ALLOWED}
     */
    public static String leftOut(Reason reason) {
        return LEFT_OUT_REASON_PREFIX + reason.name();
    }

    private EventProperties() {
    }
}
