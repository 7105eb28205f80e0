package org.licensebackup.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Reason;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class SequencedOperationEventsTest {

    private final List<Event> posted = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    private SequencedOperationEvents events(OperationKind kind) {
        return new SequencedOperationEvents(kind, "op-1", posted::add, TimeUnit.MILLISECONDS.toNanos(100), clock::get);
    }

    @Test
    void numbersEveryEventOfAnOperationFromOneInOrder() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.begin(Path.of("b"), 2);
        events.progress(1, 2, 10, () -> "k1");
        events.leftOut(new LicenseOutcome("k2", "Song", Reason.BACKUP_NOT_ALLOWED));
        events.end(OperationStatus.COMPLETED, null, null, 2, 2, 10, 1, 1);

        assertEquals(List.of(EventTopics.BACKUP_BEGIN, EventTopics.BACKUP_PROGRESS,
                EventTopics.BACKUP_RESTRICTED_LICENSE, EventTopics.BACKUP_END), topics());
        for (int i = 0; i < posted.size(); i++) {
            assertEquals((long) i + 1, posted.get(i).getProperty(EventProperties.SEQUENCE));
            assertEquals("op-1", posted.get(i).getProperty(EventProperties.OPERATION_ID));
        }
    }

    @Test
    void restoreEventsUseTheRestoreTopics() {
        SequencedOperationEvents events = events(OperationKind.RESTORE);
        events.connecting();
        events.begin(Path.of("b"), 1);
        events.leftOut(new LicenseOutcome("k", "Song", Reason.SIGNATURE_INVALID));
        events.disconnecting();
        events.end(OperationStatus.FAILED, ErrorCode.BACKUP_CORRUPT, "bad", 1, 1, 5, 0, 1);

        assertEquals(List.of(EventTopics.RESTORE_CONNECTING, EventTopics.RESTORE_BEGIN,
                EventTopics.RESTORE_REJECTED_LICENSE, EventTopics.RESTORE_DISCONNECTING, EventTopics.RESTORE_END), topics());
        Event end = posted.get(4);
        assertEquals("FAILED", end.getProperty(EventProperties.STATUS));
        assertEquals("BACKUP_CORRUPT", end.getProperty(EventProperties.ERROR_CODE));
    }

    @Test
    void verifyEventsUseTheVerifyTopics() {
        SequencedOperationEvents events = events(OperationKind.VERIFY);
        events.connecting();
        events.begin(Path.of("b"), 1);
        events.leftOut(new LicenseOutcome("k", "Song", Reason.EXPIRED));
        events.disconnecting();
        events.end(OperationStatus.COMPLETED, null, null, 1, 1, 5, 0, 1);

        assertEquals(List.of(EventTopics.VERIFY_CONNECTING, EventTopics.VERIFY_BEGIN,
                EventTopics.VERIFY_REJECTED_LICENSE, EventTopics.VERIFY_DISCONNECTING, EventTopics.VERIFY_END), topics());
    }

    @Test
    void aBackupHasNoSessionEvents() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        assertThrows(IllegalStateException.class, events::connecting);
        assertTrue(posted.isEmpty());
    }

    @Test
    void holdsBackProgressWithinTheIntervalAndPostsTheLastBeforeTheEnd() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        for (int done = 1; done <= 1000; done++) {
            String keyId = "k" + done;
            events.progress(done, 1000, done * 10L, () -> keyId);
        }
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        events.progress(1001, 1001, 0, () -> "later");
        events.progress(1002, 1002, 0, () -> "held");
        events.end(OperationStatus.COMPLETED, null, null, 1002, 1002, 0, 1002, 0);

        assertEquals(List.of(EventTopics.BACKUP_PROGRESS, EventTopics.BACKUP_PROGRESS,
                EventTopics.BACKUP_PROGRESS, EventTopics.BACKUP_END), topics());
        assertEquals(1L, posted.get(0).getProperty(EventProperties.DONE));
        assertEquals(1001L, posted.get(1).getProperty(EventProperties.DONE));
        assertEquals("held", posted.get(2).getProperty(EventProperties.KEY_ID));
    }

    @Test
    void aCompletedEndCarriesNoErrorCode() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.end(OperationStatus.COMPLETED, null, null, 0, 0, 0, 0, 0);
        assertNull(posted.get(0).getProperty(EventProperties.ERROR_CODE));
    }

    @Test
    void noEventCarriesKeyMaterial() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.begin(Path.of("b"), 1);
        events.progress(1, 1, 1, () -> "k");
        events.leftOut(new LicenseOutcome("k", "Song", Reason.EXPIRED));
        events.end(OperationStatus.COMPLETED, null, null, 1, 1, 1, 0, 1);
        for (Event event : posted) {
            for (String name : event.getPropertyNames()) {
                assertFalse(event.getProperty(name) instanceof byte[], name + " carries bytes");
            }
        }
    }

    private List<String> topics() {
        return posted.stream().map(Event::getTopic).toList();
    }
}
