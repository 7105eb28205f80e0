package org.licensebackup.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class SequencedOperationEventsTest {

    private final List<Event> posted = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    private SequencedOperationEvents events(OperationKind kind) {
        return new SequencedOperationEvents(kind, "op-1", posted::add,
                new ProgressRule(0, TimeUnit.MILLISECONDS.toNanos(100)), clock::get);
    }

    /** A report with these counts, the left-out ones all for one reason. */
    private static Report counts(long considered, long bytes, long succeeded, long leftOut) {
        return new Report("op-1", OperationKind.BACKUP, Path.of("b"), considered, succeeded, 0,
                leftOut == 0 ? Map.of() : Map.of(Reason.EXPIRED, leftOut), List.of(), leftOut, bytes, "", Duration.ZERO);
    }

    @Test
    void numbersEveryEventOfAnOperationFromOneInOrder() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.begin(Path.of("b"), 2);
        events.progress(1, 2, 10, () -> "k1");
        events.leftOut(new LicenseOutcome("k2", "Song", Reason.BACKUP_NOT_ALLOWED));
        events.end(OperationStatus.COMPLETED, null, null, 2, counts(2, 10, 1, 1));

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
        events.end(OperationStatus.FAILED, ErrorCode.BACKUP_CORRUPT, "bad", 1, counts(1, 5, 0, 1));

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
        events.end(OperationStatus.COMPLETED, null, null, 1, counts(1, 5, 0, 1));

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
        events.end(OperationStatus.COMPLETED, null, null, 1002, counts(1002, 0, 1002, 0));

        assertEquals(List.of(EventTopics.BACKUP_PROGRESS, EventTopics.BACKUP_PROGRESS,
                EventTopics.BACKUP_PROGRESS, EventTopics.BACKUP_END), topics());
        assertEquals(1L, posted.get(0).getProperty(EventProperties.DONE));
        assertEquals(1001L, posted.get(1).getProperty(EventProperties.DONE));
        assertEquals("held", posted.get(2).getProperty(EventProperties.KEY_ID));
    }

    @Test
    void aCompletedEndCarriesNoErrorCode() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.end(OperationStatus.COMPLETED, null, null, 0, counts(0, 0, 0, 0));
        assertNull(posted.get(0).getProperty(EventProperties.ERROR_CODE));
    }

    @Test
    void noEventCarriesKeyMaterial() {
        SequencedOperationEvents events = events(OperationKind.BACKUP);
        events.begin(Path.of("b"), 1);
        events.progress(1, 1, 1, () -> "k");
        events.leftOut(new LicenseOutcome("k", "Song", Reason.EXPIRED));
        events.end(OperationStatus.COMPLETED, null, null, 1, counts(1, 1, 0, 1));
        for (Event event : posted) {
            for (String name : event.getPropertyNames()) {
                assertFalse(event.getProperty(name) instanceof byte[], name + " carries bytes");
            }
        }
    }

    @Test
    void endCarriesEveryCountOfTheReport() {
        SequencedOperationEvents events = events(OperationKind.RESTORE);
        Report report = new Report("op-1", OperationKind.RESTORE, Path.of("b"), 10, 4, 3,
                Map.of(Reason.EXPIRED, 2L, Reason.SIGNATURE_INVALID, 1L), List.of(), 1, 4096, "device-a",
                Duration.ofMillis(1500), OptionalInt.of(2));
        events.end(OperationStatus.COMPLETED, null, null, 10, report);

        Event end = posted.get(0);
        assertEquals(10L, end.getProperty(EventProperties.DONE));
        assertEquals(10L, end.getProperty(EventProperties.TOTAL));
        assertEquals(4L, end.getProperty(EventProperties.SUCCEEDED));
        assertEquals(3L, end.getProperty(EventProperties.UNCHANGED));
        assertEquals(3L, end.getProperty(EventProperties.LEFT_OUT));
        assertEquals(2L, end.getProperty(EventProperties.leftOut(Reason.EXPIRED)));
        assertEquals(1L, end.getProperty("left.out.SIGNATURE_INVALID"));
        assertNull(end.getProperty(EventProperties.leftOut(Reason.BACKUP_NOT_ALLOWED)));
        assertEquals(1L, end.getProperty(EventProperties.LEFT_OUT_NOT_LISTED));
        assertEquals(4096L, end.getProperty(EventProperties.BYTES));
        assertEquals(2, end.getProperty(EventProperties.FEWEST_DEVICES_LEFT));
        assertEquals("device-a", end.getProperty(EventProperties.SOURCE_DEVICE_ID));
        assertEquals(1500L, end.getProperty(EventProperties.ELAPSED_MS));
        assertEquals(Path.of("b").toString(), end.getProperty(EventProperties.LOCATION));
    }

    @Test
    void aSmallFastOperationShowsEveryStepOfItsProgress() {
        SequencedOperationEvents events = new SequencedOperationEvents(OperationKind.RESTORE, "op-1", posted::add,
                new ProgressRule(10, TimeUnit.SECONDS.toNanos(1)), clock::get);
        for (int done = 1; done <= 900; done++) {
            events.progress(done, 900, done, () -> "k");
        }
        events.end(OperationStatus.COMPLETED, null, null, 900, counts(900, 900, 900, 0));

        List<Object> done = posted.stream().filter(event -> event.getTopic().equals(EventTopics.RESTORE_PROGRESS))
                .map(event -> event.getProperty(EventProperties.DONE)).toList();
        assertEquals(List.of(1L, 90L, 180L, 270L, 360L, 450L, 540L, 630L, 720L, 810L, 900L), done);
    }

    private List<String> topics() {
        return posted.stream().map(Event::getTopic).toList();
    }
}
