package org.licensebackup.events.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.hygiene.HygieneTopics;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Report;
import org.licensebackup.events.OperationEvents;
import org.osgi.service.event.Event;

/**
 * The events of one operation: numbered in the order they are made, progress held back until the
 * {@link ProgressRule} says one is due, and handed to a poster that never throws.
 */
final class SequencedOperationEvents implements OperationEvents {

    private final OperationKind kind;
    private final String operationId;
    private final Topics topics;
    private final Consumer<Event> poster;
    private final ProgressRule progressRule;
    private final LongSupplier nanoClock;

    private long sequence;
    private Progress heldBackProgress;

    /** @param progressRule when a PROGRESS is due; this operation's alone (it keeps what was posted) */
    SequencedOperationEvents(OperationKind kind, String operationId, Consumer<Event> poster,
            ProgressRule progressRule, LongSupplier nanoClock) {
        this.kind = kind;
        this.operationId = operationId;
        this.topics = Topics.of(kind);
        this.poster = poster;
        this.progressRule = progressRule;
        this.nanoClock = nanoClock;
    }

    @Override
    public void connecting() {
        post(topics.connecting, new HashMap<>());
    }

    @Override
    public void begin(Path location, long total) {
        Map<String, Object> properties = new HashMap<>();
        if (location != null) {
            properties.put(EventProperties.LOCATION, location.toString());
        }
        properties.put(EventProperties.TOTAL, total);
        post(topics.begin, properties);
    }

    @Override
    public void progress(long done, long total, long bytes, Supplier<String> currentKeyId) {
        heldBackProgress = new Progress(done, total, bytes, currentKeyId);
        if (progressRule.due(done, total, nanoClock.getAsLong())) {
            postProgress();
        }
    }

    @Override
    public void leftOut(LicenseOutcome outcome) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.KEY_ID, outcome.keyId());
        properties.put(EventProperties.TITLE, outcome.title());
        properties.put(EventProperties.REASON, outcome.reason().name());
        if (!outcome.supportUrl().isEmpty()) {
            properties.put(EventProperties.SUPPORT_URL, outcome.supportUrl());
        }
        post(topics.leftOut, properties);
    }

    @Override
    public void disconnecting() {
        post(topics.disconnecting, new HashMap<>());
    }

    @Override
    public void end(OperationStatus status, ErrorCode error, String message, long total, Report counts) {
        if (heldBackProgress != null) {
            Progress last = heldBackProgress;
            progressRule.posted(last.done, last.total, nanoClock.getAsLong());
            postProgress();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.STATUS, status.name());
        if (error != null) {
            properties.put(EventProperties.ERROR_CODE, error.name());
        }
        if (message != null) {
            properties.put(EventProperties.MESSAGE, message);
        }
        properties.put(EventProperties.TOTAL, total);
        putCounts(counts, properties);
        post(topics.end, properties);
    }

    /** Every count of the report, under the keys {@link EventProperties} documents for END. */
    static void putCounts(Report counts, Map<String, Object> properties) {
        properties.put(EventProperties.DONE, counts.considered());
        properties.put(EventProperties.BYTES, counts.bytes());
        properties.put(EventProperties.SUCCEEDED, counts.succeeded());
        properties.put(EventProperties.UNCHANGED, counts.unchanged());
        properties.put(EventProperties.LEFT_OUT, counts.leftOutCount());
        properties.put(EventProperties.LEFT_OUT_NOT_LISTED, counts.leftOutNotListed());
        counts.leftOutByReason().forEach((reason, count) -> properties.put(EventProperties.leftOut(reason), count));
        counts.fewestDevicesLeft().ifPresent(left -> properties.put(EventProperties.FEWEST_DEVICES_LEFT, left));
        if (counts.backupFile() != null) {
            properties.put(EventProperties.LOCATION, counts.backupFile().toString());
        }
        if (counts.sourceDeviceId() != null && !counts.sourceDeviceId().isEmpty()) {
            properties.put(EventProperties.SOURCE_DEVICE_ID, counts.sourceDeviceId());
        }
        if (counts.elapsed() != null) {
            properties.put(EventProperties.ELAPSED_MS, counts.elapsed().toMillis());
        }
    }

    /** Posts the latest progress; its properties, the key ID's text among them, are made only now. */
    private void postProgress() {
        Progress progress = heldBackProgress;
        heldBackProgress = null;
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.DONE, progress.done);
        properties.put(EventProperties.TOTAL, progress.total);
        properties.put(EventProperties.BYTES, progress.bytes);
        String keyId = progress.currentKeyId == null ? null : progress.currentKeyId.get();
        if (keyId != null) {
            properties.put(EventProperties.KEY_ID, keyId);
        }
        post(topics.progress, properties);
    }

    /** The latest progress reported, not posted yet. */
    private record Progress(long done, long total, long bytes, Supplier<String> currentKeyId) {
    }

    private void post(String topic, Map<String, Object> properties) {
        if (topic == null) {
            throw new IllegalStateException("a " + kind + " has no such event");
        }
        properties.put(EventProperties.OPERATION_ID, operationId);
        properties.put(EventProperties.SEQUENCE, ++sequence);
        poster.accept(new Event(topic, properties));
    }

    /**
     * A backup has no session with the license management service, so no CONNECTING or DISCONNECTING;
     * a release neither reads nor writes a backup, so it has no progress and leaves nothing out; what a
     * clean leaves out of the store is what it removed.
     */
    private record Topics(String connecting, String begin, String progress, String leftOut, String disconnecting, String end) {
        static Topics of(OperationKind kind) {
            return switch (kind) {
                case BACKUP -> new Topics(null, EventTopics.BACKUP_BEGIN, EventTopics.BACKUP_PROGRESS,
                        EventTopics.BACKUP_RESTRICTED_LICENSE, null, EventTopics.BACKUP_END);
                case RESTORE -> new Topics(EventTopics.RESTORE_CONNECTING, EventTopics.RESTORE_BEGIN,
                        EventTopics.RESTORE_PROGRESS, EventTopics.RESTORE_REJECTED_LICENSE,
                        EventTopics.RESTORE_DISCONNECTING, EventTopics.RESTORE_END);
                case VERIFY -> new Topics(EventTopics.VERIFY_CONNECTING, EventTopics.VERIFY_BEGIN,
                        EventTopics.VERIFY_PROGRESS, EventTopics.VERIFY_REJECTED_LICENSE,
                        EventTopics.VERIFY_DISCONNECTING, EventTopics.VERIFY_END);
                case RELEASE -> new Topics(EventTopics.RELEASE_CONNECTING, EventTopics.RELEASE_BEGIN, null, null,
                        EventTopics.RELEASE_DISCONNECTING, EventTopics.RELEASE_END);
                case CLEAN -> new Topics(null, HygieneTopics.CLEAN_BEGIN, HygieneTopics.CLEAN_PROGRESS,
                        HygieneTopics.CLEAN_REMOVED_LICENSE, null, HygieneTopics.CLEAN_END);
            };
        }
    }
}
