package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.operator.OperationRecord;
import org.licensebackup.api.OperationStatus;

class OperationHistoryTest {

    private static final Instant AT = Instant.parse("2026-11-30T00:00:00Z");
    private final OperationHistory history = new OperationHistory();

    private static Map<String, Object> end(String id, OperationStatus status) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.OPERATION_ID, id);
        properties.put(EventProperties.STATUS, status.name());
        properties.put(EventProperties.SUCCEEDED, 5L);
        properties.put(EventProperties.UNCHANGED, 2L);
        properties.put(EventProperties.LEFT_OUT, 1L);
        properties.put(EventProperties.LOCATION, "/backups/licenses.lbk");
        return properties;
    }

    @Test
    void anEndBecomesARecordOfHowTheOperationEnded() {
        Map<String, Object> failed = end("op-1", OperationStatus.FAILED);
        failed.put(EventProperties.ERROR_CODE, "BACKUP_EXISTS");
        failed.put(EventProperties.MESSAGE, "a backup is there");
        history.ended(EventTopics.BACKUP_END, failed::get, AT);

        OperationRecord record = history.recent().get(0);
        assertEquals(new OperationRecord("op-1", OperationKind.BACKUP, "/backups/licenses.lbk", OperationStatus.FAILED,
                Optional.of(ErrorCode.BACKUP_EXISTS), "a backup is there", AT, 5, 2, 1, OptionalInt.empty()), record);
        assertTrue(history.lastGoodBackup().isEmpty(), "a failed backup is no good backup");
    }

    @Test
    void theLastGoodBackupStaysWhenLaterOnesFail() {
        history.ended(EventTopics.BACKUP_END, end("good", OperationStatus.COMPLETED)::get, AT);
        history.ended(EventTopics.BACKUP_END, end("bad", OperationStatus.FAILED)::get, AT.plusSeconds(1));
        history.ended(EventTopics.RESTORE_END, end("restore", OperationStatus.COMPLETED)::get, AT.plusSeconds(2));

        assertEquals("good", history.lastGoodBackup().orElseThrow().operationId());
        assertEquals("restore", history.recent().get(0).operationId(), "newest first");
    }

    @Test
    void keepsTheRecentOnesOnly() {
        for (int n = 0; n < HostStatus.RECENT + 5; n++) {
            history.ended(EventTopics.VERIFY_END, end("op-" + n, OperationStatus.COMPLETED)::get, AT);
        }
        assertEquals(HostStatus.RECENT, history.recent().size());
        assertEquals("op-" + (HostStatus.RECENT + 4), history.recent().get(0).operationId());
    }

    @Test
    void theAllowanceIsTheNewestVerifysThatKnewIt() {
        Map<String, Object> verify = end("v1", OperationStatus.COMPLETED);
        verify.put(EventProperties.FEWEST_DEVICES_LEFT, 2);
        history.ended(EventTopics.VERIFY_END, verify::get, AT);
        history.ended(EventTopics.VERIFY_END, end("v2", OperationStatus.COMPLETED)::get, AT);

        assertEquals(OptionalInt.of(2), history.fewestDevicesLeft());
    }

    @Test
    void otherTopicsAreIgnored() {
        history.ended(EventTopics.BACKUP_PROGRESS, end("p", OperationStatus.COMPLETED)::get, AT);
        assertTrue(history.recent().isEmpty());
    }
}
