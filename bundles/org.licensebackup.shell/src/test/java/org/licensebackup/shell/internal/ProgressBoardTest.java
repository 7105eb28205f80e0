package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;

class ProgressBoardTest {

    private final ProgressBoard board = new ProgressBoard();

    @Test
    void followsTheLatestProgressOfEachOperation() {
        post(EventTopics.BACKUP_BEGIN, "a", Map.of(EventProperties.TOTAL, 100L));
        post(EventTopics.BACKUP_PROGRESS, "a", Map.of(EventProperties.DONE, 40L, EventProperties.TOTAL, 100L));
        post(EventTopics.RESTORE_PROGRESS, "b", Map.of(EventProperties.DONE, 7L, EventProperties.TOTAL, 9L));
        assertEquals(new ProgressBoard.Snapshot(40, 100, 0, false), board.snapshot("a"));
        assertEquals(new ProgressBoard.Snapshot(7, 9, 0, false), board.snapshot("b"));
    }

    @Test
    void countsLicensesLeftOut() {
        post(EventTopics.BACKUP_RESTRICTED_LICENSE, "a", Map.of(EventProperties.KEY_ID, "k1"));
        post(EventTopics.BACKUP_RESTRICTED_LICENSE, "a", Map.of(EventProperties.KEY_ID, "k2"));
        post(EventTopics.RESTORE_REJECTED_LICENSE, "b", Map.of(EventProperties.KEY_ID, "k3"));
        assertEquals(2, board.snapshot("a").leftOut());
        assertEquals(1, board.snapshot("b").leftOut());
    }

    @Test
    void notesTheEndOfAnOperation() {
        post(EventTopics.RESTORE_PROGRESS, "a", Map.of(EventProperties.DONE, 5L, EventProperties.TOTAL, 9L));
        post(EventTopics.RESTORE_END, "a", Map.of(EventProperties.DONE, 9L, EventProperties.TOTAL, 9L));
        assertEquals(new ProgressBoard.Snapshot(5, 9, 0, true), board.snapshot("a"));
    }

    @Test
    void followsVerificationsLikeRestores() {
        post(EventTopics.VERIFY_PROGRESS, "v", Map.of(EventProperties.DONE, 3L, EventProperties.TOTAL, 4L));
        post(EventTopics.VERIFY_REJECTED_LICENSE, "v", Map.of(EventProperties.KEY_ID, "k"));
        assertEquals(new ProgressBoard.Snapshot(3, 4, 1, false), board.snapshot("v"));
    }

    @Test
    void forgetsAnOperationWhoseOutcomeIsKnown() {
        post(EventTopics.BACKUP_END, "a", Map.of(EventProperties.STATUS, "COMPLETED"));
        board.forget("a");
        assertEquals(ProgressBoard.Snapshot.NOTHING_YET, board.snapshot("a"));
    }

    @Test
    void passesOverEventsWithoutAnOperation() {
        board.record(EventTopics.BACKUP_PROGRESS, Map.<String, Object>of(EventProperties.DONE, 5L)::get);
        assertEquals(ProgressBoard.Snapshot.NOTHING_YET, board.snapshot("a"));
    }

    private void post(String topic, String operationId, Map<String, Object> properties) {
        board.record(topic, key -> key.equals(EventProperties.OPERATION_ID) ? operationId : properties.get(key));
    }
}
