package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;

/**
 * Store hygiene removes what can never be used again, reports each by key ID, title and reason, and
 * keeps a used-up license, whose copy is what stops a restore from giving its plays back.
 */
class CleanJobTest {

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();
    private final DeviceIdentity device = TestDevices.generate();
    private final DeviceIdentity other = TestDevices.generate();

    @AfterEach
    void close() {
        jobs.close();
    }

    @Test
    void expiredLicensesAndThoseOfAnotherDeviceAreRemovedAndReportedTheOthersKept() throws Exception {
        LicenseStore store = new InMemoryLicenseStore();
        License expired = issue(store, "Expired", JobRunner.BACKUP_ALLOWED.withNotAfter(Instant.now().minusSeconds(60)), device);
        License elsewhere = issue(store, "Elsewhere", JobRunner.BACKUP_ALLOWED, other);
        License valid = issue(store, "Valid", JobRunner.BACKUP_ALLOWED, device);
        License usedUp = issue(store, "Used up", JobRunner.BACKUP_ALLOWED.withPlayCount(1), device);
        use(store, usedUp);

        Report report = JobRunner.result(clean(store));

        assertEquals(4, report.considered());
        assertEquals(2, report.succeeded());
        assertEquals(Map.of(Reason.EXPIRED, 1L, Reason.BOUND_TO_ANOTHER_DEVICE, 1L), report.leftOutByReason());
        List<LicenseOutcome> expected = List.of(new LicenseOutcome(expired.keyId().toString(), "Expired", Reason.EXPIRED),
                new LicenseOutcome(elsewhere.keyId().toString(), "Elsewhere", Reason.BOUND_TO_ANOTHER_DEVICE));
        assertEquals(sorted(expected), sorted(report.leftOut()));
        assertEquals(sorted(expected), sorted(jobs.events.leftOut));
        assertEquals(List.of(valid.keyId(), usedUp.keyId()).stream().sorted().toList(), JobRunner.keyIds(store));
    }

    @Test
    void aUsedUpLicenseKeptByTheCleanStopsARestoreOfAnOlderBackupGivingItsPlaysBack() throws Exception {
        LicenseStore store = new InMemoryLicenseStore();
        License fresh = issue(store, "Two plays", JobRunner.BACKUP_ALLOWED.withPlayCount(2), device);
        JobRunner.result(jobs.backup(device, store, null, directory, BackupOptions.adding()));
        use(store, fresh);
        use(store, store.find(fresh.keyId()).orElseThrow());

        JobRunner.result(clean(store));
        Report restore = JobRunner.result(jobs.restore(device, store, null, directory, RestoreOptions.defaults()));

        assertEquals(Map.of(Reason.NEWER_IN_STORE, 1L), restore.leftOutByReason());
        assertEquals(2, store.find(fresh.keyId()).orElseThrow().usage().playsUsed());
    }

    private RunningOperation clean(LicenseStore store) {
        return jobs.run(OperationKind.CLEAN, device, store, null, (operation, with) -> new CleanJob(operation, with, 1));
    }

    private License issue(LicenseStore store, String title, Rights rights, DeviceIdentity boundTo) {
        License license = jobs.issuer.issue(LicenseSpec.of(title, rights), boundTo.deviceId(), boundTo.agreementPublicKey());
        put(store, license);
        return license;
    }

    private static void use(LicenseStore store, License license) {
        put(store, license.withUsage(license.usage().played(Instant.now())));
    }

    private static void put(LicenseStore store, License license) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license));
            transaction.commit();
        }
    }

    private static List<LicenseOutcome> sorted(List<LicenseOutcome> outcomes) {
        return outcomes.stream().sorted(Comparator.comparing(LicenseOutcome::keyId)).toList();
    }
}
