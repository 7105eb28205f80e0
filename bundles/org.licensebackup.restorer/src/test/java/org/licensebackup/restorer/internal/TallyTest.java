package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void listsAtMostTheConfiguredNumberOfLeftOutLicensesAndCountsTheRest() {
        Tally tally = new Tally(2);
        for (int i = 0; i < 5; i++) {
            tally.leftOut(new LicenseOutcome("k" + i, "Title " + i, i < 3 ? Reason.EXPIRED : Reason.BACKUP_NOT_ALLOWED));
        }

        Report report = tally.report("op", OperationKind.BACKUP, Path.of("b"), 10, "device", Duration.ZERO);

        assertEquals(2, report.leftOut().size());
        assertEquals(3, report.leftOutNotListed());
        assertEquals(5, report.leftOutCount());
        assertEquals(Map.of(Reason.EXPIRED, 3L, Reason.BACKUP_NOT_ALLOWED, 2L), report.leftOutByReason());
    }
}
