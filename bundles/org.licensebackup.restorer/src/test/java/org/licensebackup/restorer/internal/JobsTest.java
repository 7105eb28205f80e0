package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.internal.IssuerRightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.osgi.util.promise.PromiseFactory;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;

/**
 * The backup, restore, verify and release jobs against an in-memory store and a fake license
 * management service: each rule tested where it lives, without a container.
 */
class JobsTest {

    private static Report result(RunningOperation operation) throws Exception {
        return JobRunner.result(operation);
    }

    private static Throwable failure(RunningOperation operation) throws Exception {
        return JobRunner.failure(operation);
    }

    private static List<KeyId> keyIds(LicenseStore store) {
        return JobRunner.keyIds(store);
    }

    private static final Rights BACKUP_ALLOWED = JobRunner.BACKUP_ALLOWED;

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();
    private final Issuer issuer = jobs.issuer;
    private final FakeLicenseService service = new FakeLicenseService();

    @AfterEach
    void closeTheJobRunner() {
        jobs.close();
    }

    @Test
    void aDeviceRestoresItsOwnBackupOfflineWithoutAnyService() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 5);
        backup(device, store, null);
        LicenseStore emptied = new InMemoryLicenseStore();

        Report report = result(restore(device, emptied, null, RestoreOptions.defaults()));

        assertEquals(5, report.succeeded());
        assertEquals(keyIds(store), keyIds(emptied));
        assertFalse(jobs.events.names.contains("CONNECTING"), jobs.events.names::toString);
    }

    @Test
    void aDeviceRestoresItsOwnBackupOfflineEvenWhenItHasAService() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 3);
        backup(device, store, service);
        service.calls.clear();

        assertEquals(3, result(restore(device, new InMemoryLicenseStore(), service, RestoreOptions.defaults())).succeeded());
        assertEquals(List.of(), service.calls);
    }

    @Test
    void aNewDeviceRestoresThroughTheServiceWhichReBindsEveryLicenseToIt() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 4), service);
        DeviceIdentity newDevice = TestDevices.generate();
        LicenseStore store = new InMemoryLicenseStore();

        Report report = result(restore(newDevice, store, service, RestoreOptions.withRebindConsent()));

        assertEquals(4, report.succeeded());
        try (Stream<License> restored = store.licenses()) {
            assertTrue(restored.allMatch(license -> license.grant().deviceId().equals(newDevice.deviceId())));
        }
        // batches of 2: four licenses go to the service in two requests, and count only at the commit
        assertEquals(List.of("connect", "unwrapFileKey", "acceptDeviceKeyEscrow", "rebind", "rebind", "commit", "close"),
                service.calls);
        assertEquals(List.of("CONNECTING", "BEGIN", "DISCONNECTING", "END COMPLETED"), jobs.events.names);
    }

    @Test
    void aSessionThatTakesSeveralBatchesAtOnceGetsTheNextWhileItWorksOnOneAndAllAreRestored() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 6), service);
        service.concurrentRebinds = 4;
        LicenseStore store = new InMemoryLicenseStore();

        Report report = result(restore(TestDevices.generate(), store, service, RestoreOptions.withRebindConsent()));

        assertEquals(6, report.succeeded());
        assertEquals(6, keyIds(store).size());
        // batches of 2, at most 2 in flight as the job is configured, though the session would take 4
        assertEquals(2, service.mostRebindsAtOnce.get());
        assertEquals(List.of("rebind", "rebind", "rebind", "commit", "close"), service.calls.subList(3, service.calls.size()));
    }

    @Test
    void aSessionThatTakesOneBatchAtATimeNeverGetsTwo() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 6), service);
        LicenseStore store = new InMemoryLicenseStore();

        assertEquals(6, result(restore(TestDevices.generate(), store, service, RestoreOptions.withRebindConsent())).succeeded());
        assertEquals(1, service.mostRebindsAtOnce.get());
    }

    @Test
    void aLicenseTheServiceRefusesIsLeftOutWithItsSupportLinkAndTheOthersAreRestored() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        LicenseStore originStore = storeWith(origin, 3);
        backup(origin, originStore, service);
        KeyId refused = keyIds(originStore).get(1);
        service.refused.add(refused);
        LicenseStore store = new InMemoryLicenseStore();

        Report report = result(restore(TestDevices.generate(), store, service, RestoreOptions.withRebindConsent()));

        assertEquals(2, report.succeeded());
        assertEquals(Map.of(Reason.DEVICE_LIMIT_REACHED, 1L), report.leftOutByReason());
        assertEquals(FakeLicenseService.SUPPORT_URL + "?kid=" + refused, report.leftOut().get(0).supportUrl());
        assertEquals(report.leftOut(), jobs.events.leftOut);
        assertFalse(keyIds(store).contains(refused));
    }

    @Test
    void withoutTheHostsConsentABackupFromAnotherDeviceIsNotEvenTakenToTheService() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 2), service);
        service.calls.clear();

        Throwable failure = failure(restore(TestDevices.generate(), new InMemoryLicenseStore(), service, RestoreOptions.defaults()));

        assertEquals(ErrorCode.REBIND_NOT_CONSENTED, ((BackupRestoreException) failure).code());
        assertEquals(List.of(), service.calls);
    }

    @Test
    void aServiceThatFailsAtTheCommitLeavesTheStoreAsItWas() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 3), service);
        service.failsAtCommit = true;
        LicenseStore store = new InMemoryLicenseStore();

        Throwable failure = failure(restore(TestDevices.generate(), store, service, RestoreOptions.withRebindConsent()));

        assertEquals(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, ((BackupRestoreException) failure).code());
        assertEquals(0, store.count());
    }

    @Test
    void aBackupForAnotherServiceIsNotOpenedThroughThisOne() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 2), new FakeLicenseService());
        service.calls.clear();

        Throwable failure = failure(restore(TestDevices.generate(), new InMemoryLicenseStore(), service,
                RestoreOptions.withRebindConsent()));

        assertEquals(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, ((BackupRestoreException) failure).code());
        assertTrue(failure.getMessage().contains("was made for the license management server whose key is"), failure::getMessage);
        assertFalse(service.calls.contains("unwrapFileKey"), service.calls::toString);
    }

    @Test
    void aBackupFromAnotherDeviceNeedsAServiceToBeOpened() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        backup(origin, storeWith(origin, 2), service);

        Throwable failure = failure(restore(TestDevices.generate(), new InMemoryLicenseStore(), null,
                RestoreOptions.withRebindConsent()));

        assertEquals(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, ((BackupRestoreException) failure).code());
    }

    @Test
    void verifyCountsWhatTheServiceWouldRefuseAndTheFewestDevicesLeftReservingNothing() throws Exception {
        DeviceIdentity origin = TestDevices.generate();
        LicenseStore originStore = storeWith(origin, 3);
        backup(origin, originStore, service);
        List<KeyId> keyIds = keyIds(originStore);
        service.allowances.put(keyIds.get(0), new Allowance(keyIds.get(0), 4, 4, false));
        service.allowances.put(keyIds.get(1), new Allowance(keyIds.get(1), 2, 4, false));
        service.calls.clear();

        Report report = result(verify(TestDevices.generate(), service));

        assertEquals(2, report.succeeded());
        assertEquals(Map.of(Reason.DEVICE_LIMIT_REACHED, 1L), report.leftOutByReason());
        assertEquals(OptionalInt.of(2), report.fewestDevicesLeft());
        assertFalse(service.calls.contains("rebind") || service.calls.contains("commit"), service.calls::toString);
    }

    @Test
    void aFailedOperationLeavesItsErrorCodeInTheLogForTheOperator() throws Exception {
        failure(restore(TestDevices.generate(), new InMemoryLicenseStore(), service, RestoreOptions.defaults()));

        assertEquals(1, jobs.log.entries.size(), jobs.log.entries::toString);
        RecordingLogger.Entry entry = jobs.log.entries.get(0);
        assertEquals("warn", entry.level());
        assertTrue(entry.arguments().contains(OperationKind.RESTORE), entry::toString);
        assertTrue(entry.arguments().contains(ErrorCode.NO_BACKUP), entry::toString);
    }

    @Test
    void aCompletedOperationLogsNothing() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        backup(device, storeWith(device, 2), null);

        assertEquals(List.of(), jobs.log.entries);
    }

    @Test
    void aReleaseDeletesTheLicensesOnlyOnceTheServiceHasFreedTheirSlots() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 3);
        List<KeyId> given = keyIds(store).subList(0, 2);

        Report report = result(run(OperationKind.RELEASE, device, store, service,
                (operation, with) -> new ReleaseJob(operation, with, given)));

        assertEquals(2, report.succeeded());
        assertEquals(given, service.released);
        assertEquals(1, store.count());
    }

    @Test
    void aReleaseTheServiceCannotTakeLeavesTheStoreAsItWas() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 3);
        service.unreachable = true;

        Throwable failure = failure(run(OperationKind.RELEASE, device, store, service,
                (operation, with) -> new ReleaseJob(operation, with, keyIds(store))));

        assertEquals(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, ((BackupRestoreException) failure).code());
        assertEquals(3, store.count());
    }

    @Test
    void aReleasedLicenseNeverComesBackFromAnOwnBackupMadeBeforeNotEvenIntoALostStore() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 4);
        backup(device, store, service);
        List<KeyId> given = keyIds(store).subList(0, 2);
        result(run(OperationKind.RELEASE, device, store, service, (operation, with) -> new ReleaseJob(operation, with, given)));

        for (LicenseStore into : List.of(store, new InMemoryLicenseStore())) {
            Report report = result(restore(device, into, null, RestoreOptions.defaults()));

            assertEquals(Map.of(Reason.RELEASED, 2L), report.leftOutByReason());
            assertTrue(keyIds(into).stream().noneMatch(given::contains), keyIds(into)::toString);
            assertEquals(2, into.count());
        }
        assertEquals(2L, jobs.events.leftOut.stream().filter(outcome -> outcome.reason() == Reason.RELEASED).count());
    }

    @Test
    void aReleaseDeletesOnlyWhatTheServiceTookBackAndSaysWhatItKept() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = storeWith(device, 3);
        List<KeyId> held = keyIds(store);
        service.notCounted.add(held.get(1));
        KeyId notHeld = storeWith(device, 1).licenses().findFirst().orElseThrow().keyId();

        Report report = result(run(OperationKind.RELEASE, device, store, service,
                (operation, with) -> new ReleaseJob(operation, with, List.of(held.get(0), held.get(1), notHeld))));

        assertEquals(1, report.succeeded());
        assertEquals(Map.of(Reason.NOT_RELEASED, 2L), report.leftOutByReason());
        assertEquals(List.of(held.get(1), held.get(2)), keyIds(store));
        assertEquals(List.of(held.get(0)), service.released);
    }

    @Test
    void aRestoreNeverGivesBackPlaysTheDeviceSawUsedEvenIntoALostStore() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        LicenseStore store = new InMemoryLicenseStore();
        License fresh = issuer.issue(LicenseSpec.of("Counted", BACKUP_ALLOWED.withPlayCount(10)), device.deviceId(),
                device.agreementPublicKey());
        put(store, fresh);
        backup(device, store, null);
        Path old = directory.resolve("licenses.lbk");
        Path kept = java.nio.file.Files.copy(old, directory.resolve("old.lbk"));
        Usage used = new Usage(7, 0, java.time.Instant.parse("2026-11-01T00:00:00Z"));
        put(store, fresh.withUsage(used));
        backup(device, store, null);
        java.nio.file.Files.move(kept, old, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LicenseStore lost = new InMemoryLicenseStore();

        result(restore(device, lost, null, RestoreOptions.defaults()));

        assertEquals(used, lost.licenses().findFirst().orElseThrow().usage());
    }

    @Test
    void aBackupOfAStoreThatLostItsLicensesIsRefusedAndTheBackupThereStays() throws Exception {
        DeviceIdentity device = TestDevices.generate();
        backup(device, storeWith(device, 3), null);
        byte[] good = java.nio.file.Files.readAllBytes(directory.resolve("licenses.lbk"));

        Throwable refused = failure(jobs.backup(device, new InMemoryLicenseStore(), null, directory, BackupOptions.overwriting()));

        assertEquals(ErrorCode.STORE_UNAVAILABLE, ((BackupRestoreException) refused).code());
        assertTrue(refused.getMessage().contains("holds no licenses, but it held 3 licenses on "), refused.getMessage());
        assertTrue(java.util.Arrays.equals(good, java.nio.file.Files.readAllBytes(directory.resolve("licenses.lbk"))));
    }

    private static void put(LicenseStore store, License license) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license));
            transaction.commit();
        }
    }

    private LicenseStore storeWith(DeviceIdentity device, int count) {
        return jobs.storeWith(device, count);
    }

    private void backup(DeviceIdentity device, LicenseStore store, LicenseManagementService withService) throws Exception {
        result(jobs.backup(device, store, withService, directory, BackupOptions.overwriting()));
    }

    private RunningOperation restore(DeviceIdentity device, LicenseStore store, LicenseManagementService withService,
            RestoreOptions options) {
        return jobs.restore(device, store, withService, directory, options);
    }

    private RunningOperation verify(DeviceIdentity device, LicenseManagementService withService) {
        return jobs.verify(device, withService, directory);
    }

    private RunningOperation run(OperationKind kind, DeviceIdentity device, LicenseStore store,
            LicenseManagementService withService, BiFunction<RunningOperation, Collaborators, Job> jobFor) {
        return jobs.run(kind, device, store, withService, jobFor);
    }
}
