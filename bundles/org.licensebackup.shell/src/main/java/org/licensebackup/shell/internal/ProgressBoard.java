package org.licensebackup.shell.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.licensebackup.api.EventProperties;

/**
 * How far each running operation is, as its events say. Fed from EventAdmin's threads, read by the
 * thread that draws: {@link #record} only stores numbers, so a handler never stalls EventAdmin.
 */
final class ProgressBoard {

    /**
     * @param leftOut licenses excluded or rejected so far
     * @param ended whether the operation's END event has come
     */
    record Snapshot(long done, long total, long leftOut, boolean ended) {
        static final Snapshot NOTHING_YET = new Snapshot(0, 0, 0, false);
    }

    private static final class Progress {
        volatile long done;
        volatile long total;
        volatile boolean ended;
        final AtomicLong leftOut = new AtomicLong();

        Snapshot snapshot() {
            return new Snapshot(done, total, leftOut.get(), ended);
        }
    }

    private final ConcurrentMap<String, Progress> byOperation = new ConcurrentHashMap<>();

    /**
     * Takes one event into account. Backups, restores and verifications name their events alike
     * ({@code <kind>/BEGIN}, {@code <kind>/PROGRESS}, ...), so the last part of the topic says enough.
     *
     * @param property reads the event's properties by {@link EventProperties} key
     */
    void record(String topic, Function<String, Object> property) {
        if (!(property.apply(EventProperties.OPERATION_ID) instanceof String operationId)) {
            return;
        }
        Progress progress = byOperation.computeIfAbsent(operationId, id -> new Progress());
        switch (topic.substring(topic.lastIndexOf('/') + 1)) {
            case "BEGIN", "PROGRESS" -> {
                if (property.apply(EventProperties.TOTAL) instanceof Long total) {
                    progress.total = total;
                }
                if (property.apply(EventProperties.DONE) instanceof Long done) {
                    progress.done = done;
                }
            }
            case "RESTRICTED_LICENSE", "REJECTED_LICENSE" -> progress.leftOut.incrementAndGet();
            case "END" -> progress.ended = true;
            default -> {
                // CONNECTING and DISCONNECTING say nothing about how far the operation is.
            }
        }
    }

    Snapshot snapshot(String operationId) {
        Progress progress = byOperation.get(operationId);
        return progress == null ? Snapshot.NOTHING_YET : progress.snapshot();
    }

    /**
     * Drops what is known of an operation whose outcome is known. An END that comes only after this
     * (EventAdmin more than {@link ProgressDisplay}'s patience late) leaves one small entry behind.
     */
    void forget(String operationId) {
        byOperation.remove(operationId);
    }
}
