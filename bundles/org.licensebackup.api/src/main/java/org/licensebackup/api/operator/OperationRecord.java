package org.licensebackup.api.operator;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.OperationStatus;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one operation ended, as its {@code END} event told. Since 1.3.
 *
 * @param operationId the operation's ID
 * @param kind what it was
 * @param location the backup file, empty when the operation ended before it knew it (or a release)
 * @param status how it ended
 * @param error why, unless it completed
 * @param message the error's message, empty when it completed
 * @param endedAt when its END event was received
 * @param succeeded licenses backed up, restored, found restorable or released
 * @param unchanged licenses a restore found in the store already
 * @param leftOut licenses excluded or rejected
 * @param fewestDevicesLeft verify: the allowance the license management service gave, when asked
 */
public record OperationRecord(
        String operationId,
        OperationKind kind,
        String location,
        OperationStatus status,
        Optional<ErrorCode> error,
        String message,
        Instant endedAt,
        long succeeded,
        long unchanged,
        long leftOut,
        OptionalInt fewestDevicesLeft) {

    public OperationRecord {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(fewestDevicesLeft, "fewestDevicesLeft");
    }
}
