package org.licensebackup.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The final report of a completed operation: what happened to every license.
 *
 * @param operationId the operation's ID
 * @param kind backup or restore
 * @param backupFile the backup file written or read
 * @param considered how many licenses the operation looked at
 * @param succeeded licenses backed up (backup) or restored into the store (restore)
 * @param unchanged restore only: licenses the store already held in the same state
 * @param leftOutByReason how many licenses were excluded (backup) or rejected (restore), by reason
 * @param leftOut the excluded or rejected licenses themselves, at most the configured number
 *     ({@code report.max.listed}); every one of them was also posted as an event
 * @param leftOutNotListed how many excluded or rejected licenses did not fit in {@code leftOut}
 * @param bytes the size of the backup file
 * @param sourceDeviceId the ID of the device that made the backup
 * @param elapsed how long the operation ran
 * @param fewestDevicesLeft verify only: of the licenses a restore here would take from another
 *     device, how many more new devices the most used one may still be restored to, as the license
 *     management service counts them; empty when no license needed the service
 */
public record Report(
        String operationId,
        OperationKind kind,
        Path backupFile,
        long considered,
        long succeeded,
        long unchanged,
        Map<Reason, Long> leftOutByReason,
        List<LicenseOutcome> leftOut,
        long leftOutNotListed,
        long bytes,
        String sourceDeviceId,
        Duration elapsed,
        OptionalInt fewestDevicesLeft) {

    public Report {
        leftOutByReason = Map.copyOf(leftOutByReason);
        leftOut = List.copyOf(leftOut);
        Objects.requireNonNull(fewestDevicesLeft, "fewestDevicesLeft");
    }

    /** A report that says nothing of device allowances. */
    public Report(String operationId, OperationKind kind, Path backupFile, long considered, long succeeded,
            long unchanged, Map<Reason, Long> leftOutByReason, List<LicenseOutcome> leftOut, long leftOutNotListed,
            long bytes, String sourceDeviceId, Duration elapsed) {
        this(operationId, kind, backupFile, considered, succeeded, unchanged, leftOutByReason, leftOut,
                leftOutNotListed, bytes, sourceDeviceId, elapsed, OptionalInt.empty());
    }

    /** All licenses excluded or rejected, whatever the reason. */
    public long leftOutCount() {
        return leftOutByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
