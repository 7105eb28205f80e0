package org.licensebackup.schedule.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One schedule's settings, checked.
 *
 * @param name the schedule's name, for status, events and its record of the backups it wrote
 * @param directory where its backups go
 * @param timetable when they are due
 * @param retention which of the backups it wrote it keeps
 * @param firstRetry how long after a failed backup it tries again; each retry waits twice as long
 * @param longestRetry the longest wait between retries
 * @param retries how many times a failed backup is tried again before the next regular one
 */
record ScheduleSettings(String name, Path directory, Timetable timetable, Retention retention, Duration firstRetry,
        Duration longestRetry, int retries) {

    ScheduleSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timetable, "timetable");
        Objects.requireNonNull(retention, "retention");
        if (firstRetry.isNegative() || firstRetry.isZero() || longestRetry.compareTo(firstRetry) < 0 || retries < 0) {
            throw new IllegalArgumentException("retries: the first after more than 0 (" + firstRetry
                    + "), the longest wait at least that (" + longestRetry + "), a count of 0 or more (" + retries + ")");
        }
    }

    /** The wait before retry {@code failures} (1 for the first). */
    Duration backoff(int failures) {
        Duration wait = firstRetry;
        for (int n = 1; n < failures && wait.compareTo(longestRetry) < 0; n++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(longestRetry) > 0 ? longestRetry : wait;
    }
}
