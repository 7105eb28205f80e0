package org.licensebackup.api.schedule;

import org.licensebackup.api.ErrorCode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one backup schedule stands. Since API 1.3.
 *
 * @param name the schedule's name (its configuration's {@code name}, else its PID)
 * @param directory where its backups go
 * @param lastSuccess when its last backup completed, if one did since the schedule started; a
 *     backup made before in the directory counts too (the newest good one found there)
 * @param lastAttempt when its last backup ended, completed or not
 * @param lastError the error code of its last backup when that failed; empty after a success
 * @param consecutiveFailures backups failed in a row since the last success (retries included)
 * @param nextRun when the next backup (or retry) is due; empty when none is
 */
public record ScheduleStatus(String name, Path directory, Optional<Instant> lastSuccess, Optional<Instant> lastAttempt,
        Optional<ErrorCode> lastError, int consecutiveFailures, Optional<Instant> nextRun) {

    public ScheduleStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(nextRun, "nextRun");
    }
}
