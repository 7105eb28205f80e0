package org.licensebackup.restorer.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.operator.OperationRecord;
import org.licensebackup.api.OperationStatus;

/**
 * The last operations that ended, read from their END events: what an operator's status shows.
 * Thread-safe: EventAdmin delivers on its threads, a status is asked on others.
 */
final class OperationHistory {

    private final Deque<OperationRecord> recent = new ArrayDeque<>();
    private OperationRecord lastGoodBackup;
    private OptionalInt fewestDevicesLeft = OptionalInt.empty();

    /**
     * Notes an END event; other topics are ignored.
     *
     * @param property the event's properties
     */
    synchronized void ended(String topic, Function<String, Object> property, Instant receivedAt) {
        OperationKind kind = kindOfEnd(topic);
        if (kind == null) {
            return;
        }
        Object errorCode = property.apply(EventProperties.ERROR_CODE);
        Object devicesLeft = property.apply(EventProperties.FEWEST_DEVICES_LEFT);
        OperationRecord record = new OperationRecord(
                text(property.apply(EventProperties.OPERATION_ID)),
                kind,
                text(property.apply(EventProperties.LOCATION)),
                OperationStatus.valueOf(text(property.apply(EventProperties.STATUS))),
                errorCode == null ? Optional.empty() : Optional.of(ErrorCode.valueOf(errorCode.toString())),
                text(property.apply(EventProperties.MESSAGE)),
                receivedAt,
                count(property.apply(EventProperties.SUCCEEDED)),
                count(property.apply(EventProperties.UNCHANGED)),
                count(property.apply(EventProperties.LEFT_OUT)),
                devicesLeft instanceof Number number ? OptionalInt.of(number.intValue()) : OptionalInt.empty());
        recent.addFirst(record);
        while (recent.size() > HostStatus.RECENT) {
            recent.removeLast();
        }
        if (kind == OperationKind.BACKUP && record.status() == OperationStatus.COMPLETED) {
            lastGoodBackup = record;
        }
        if (kind == OperationKind.VERIFY && record.fewestDevicesLeft().isPresent()) {
            fewestDevicesLeft = record.fewestDevicesLeft();
        }
    }

    synchronized List<OperationRecord> recent() {
        return List.copyOf(recent);
    }

    synchronized Optional<OperationRecord> lastGoodBackup() {
        return Optional.ofNullable(lastGoodBackup);
    }

    synchronized OptionalInt fewestDevicesLeft() {
        return fewestDevicesLeft;
    }

    private static OperationKind kindOfEnd(String topic) {
        return switch (topic) {
            case EventTopics.BACKUP_END -> OperationKind.BACKUP;
            case EventTopics.RESTORE_END -> OperationKind.RESTORE;
            case EventTopics.VERIFY_END -> OperationKind.VERIFY;
            case EventTopics.RELEASE_END -> OperationKind.RELEASE;
            default -> null;
        };
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static long count(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }
}
