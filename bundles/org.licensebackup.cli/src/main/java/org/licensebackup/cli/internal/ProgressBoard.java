package org.licensebackup.cli.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;

/**
 * How far each running operation is, as its events say. Fed from EventAdmin's threads, read by the
 * thread that draws: {@link #record} only stores numbers, so a handler never stalls EventAdmin.
 */
final class ProgressBoard {

    /** @param leftOut licenses excluded or rejected so far */
    record Snapshot(long done, long total, long leftOut) {
        static final Snapshot NOTHING_YET = new Snapshot(0, 0, 0);
    }

    private static final class Progress {
        volatile long done;
        volatile long total;
        final AtomicLong leftOut = new AtomicLong();

        Snapshot snapshot() {
            return new Snapshot(done, total, leftOut.get());
        }
    }

    private final ConcurrentMap<String, Progress> byOperation = new ConcurrentHashMap<>();

    /**
     * Takes one event into account.
     *
     * @param property reads the event's properties by {@link EventProperties} key
     */
    void record(String topic, Function<String, Object> property) {
        if (!(property.apply(EventProperties.OPERATION_ID) instanceof String operationId)) {
            return;
        }
        String event = topic.substring(topic.lastIndexOf('/') + 1);
        if (event.equals("END")) {
            // END is the last event an operation posts, so removing here leaves nothing behind.
            byOperation.remove(operationId);
            return;
        }
        Progress progress = byOperation.computeIfAbsent(operationId, id -> new Progress());
        switch (topic) {
            case EventTopics.BACKUP_BEGIN, EventTopics.RESTORE_BEGIN,
                    EventTopics.BACKUP_PROGRESS, EventTopics.RESTORE_PROGRESS -> {
                if (property.apply(EventProperties.TOTAL) instanceof Long total) {
                    progress.total = total;
                }
                if (property.apply(EventProperties.DONE) instanceof Long done) {
                    progress.done = done;
                }
            }
            case EventTopics.BACKUP_RESTRICTED_LICENSE, EventTopics.RESTORE_REJECTED_LICENSE ->
                    progress.leftOut.incrementAndGet();
            default -> {
                // CONNECTING and DISCONNECTING say nothing about how far the operation is.
            }
        }
    }

    Snapshot snapshot(String operationId) {
        Progress progress = byOperation.get(operationId);
        return progress == null ? Snapshot.NOTHING_YET : progress.snapshot();
    }

    /** Drops what is known of an operation whose outcome is known. */
    void forget(String operationId) {
        byOperation.remove(operationId);
    }
}
