package org.licensebackup.api.schedule;

import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;

/**
 * The EventAdmin topics of scheduled backups, besides each backup's own {@link EventTopics#BACKUP_ALL}.
 * Properties: {@link #SCHEDULE} always, {@link EventProperties#OPERATION_ID} and
 * {@link EventProperties#LOCATION} where a backup ran, {@link EventProperties#ERROR_CODE} and
 * {@link EventProperties#MESSAGE} on a failure. Since API 1.3.
 */
public final class ScheduleTopics {

    /** {@code String}: the schedule's name. */
    public static final String SCHEDULE = "schedule";
    /** {@code Integer}, BACKUP_FAILED: failures in a row, this one included. */
    public static final String FAILURES = "failures";
    /** {@code Long}, BACKUP_FAILED: epoch milliseconds of the retry, absent when none is planned before the next run. */
    public static final String RETRY_AT = "retry.at";
    /** {@code String[]}, RETENTION: names of the backups deleted. */
    public static final String DELETED = "deleted";

    /** A scheduled backup completed. */
    public static final String BACKUP_COMPLETED = EventTopics.PREFIX + "schedule/BACKUP_COMPLETED";
    /** A scheduled backup failed; it is retried with backoff. */
    public static final String BACKUP_FAILED = EventTopics.PREFIX + "schedule/BACKUP_FAILED";
    /** Retention deleted backups. */
    public static final String RETENTION = EventTopics.PREFIX + "schedule/RETENTION";
    /** Every schedule topic. */
    public static final String ALL = EventTopics.PREFIX + "schedule/*";

    private ScheduleTopics() {
    }
}
