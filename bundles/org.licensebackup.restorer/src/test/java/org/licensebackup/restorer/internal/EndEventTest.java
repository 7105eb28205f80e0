package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.store.LicenseStore;

/** What END says and when: every count of the report, after the promise is settled. */
class EndEventTest {

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();

    @AfterEach
    void closeTheJobRunner() {
        jobs.close();
    }

    @Test
    void aCompletedOperationSettlesItsPromiseBeforeEnd() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        RunningOperation backup = jobs.backup(device, jobs.storeWith(device, 3), null, directory, BackupOptions.defaults());

        assertEquals(List.of("BEGIN", "END COMPLETED"), jobs.events.names);
        assertTrue(jobs.events.promiseSettledAtEnd, "the promise was settled when END was posted");
        assertEquals(3, JobRunner.result(backup).succeeded());
    }

    @Test
    void aFailedOperationSettlesItsPromiseBeforeEnd() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = jobs.storeWith(device, 1);
        jobs.backup(device, store, null, directory, BackupOptions.defaults());
        RunningOperation again = jobs.backup(device, store, null, directory, BackupOptions.defaults());

        assertEquals(ErrorCode.BACKUP_EXISTS, JobRunner.failure(again).code());
        assertTrue(jobs.events.promiseSettledAtEnd);
    }

    @Test
    void endCarriesTheReportsCountsUnchangedAmongThem() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = jobs.storeWith(device, 4);
        jobs.backup(device, store, null, directory, BackupOptions.defaults());
        // the same licenses again: the store holds every one in the same state
        RunningOperation restore = jobs.restore(device, store, null, directory, RestoreOptions.defaults());

        Report report = JobRunner.result(restore);
        assertEquals(4, report.unchanged());
        assertEquals(report, jobs.events.endCounts);
    }
}
