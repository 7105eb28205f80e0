package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.Rights;
import org.licensebackup.policy.internal.IssuerRightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.device.DeviceRecord;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.osgi.service.event.Event;

class OperatorViewComponentTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();
    private final DeviceIdentity device = TestDevices.generate();
    private final DeviceIdentity otherDevice = TestDevices.generate();
    private final Issuer issuer = Issuer.generate("Catalog Issuer");
    @TempDir
    static Path records;
    private final DeviceRecord record = TestDevices.recordOf(device, records.resolve(device.deviceId()));
    /** Every store bound here is registered: what the registry does meanwhile is BoundServiceTest's. */
    private final OperatorViewComponent catalog = new OperatorViewComponent(new BoundService<>(reference -> true), device,
            record, policy, Clock.fixed(NOW, ZoneOffset.UTC));
    private RankedReference<LicenseStore> storeReference;

    @AfterEach
    void closeThePolicy() {
        policy.close();
    }

    private LicenseStore store() {
        LicenseStore store = new InMemoryLicenseStore();
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(
                    issuer.issue(LicenseSpec.of("Blue Planet", Rights.unlimited().withBackupAllowed(true)),
                            device.deviceId(), device.agreementPublicKey()),
                    issuer.issue(LicenseSpec.of("Red Desert", Rights.unlimited()), device.deviceId(),
                            device.agreementPublicKey()),
                    issuer.issue(LicenseSpec.of("Blue Velvet", Rights.unlimited().withNotAfter(NOW.minusSeconds(1))),
                            otherDevice.deviceId(), otherDevice.agreementPublicKey())));
            transaction.commit();
        }
        storeReference = RankedReference.store("memory", 0);
        catalog.bindStore(store, storeReference);
        return store;
    }

    private List<String> titles(LicenseQuery query) {
        try (Stream<LicenseSummary> licenses = catalog.licenses(query)) {
            return licenses.map(LicenseSummary::title).sorted().toList();
        }
    }

    @Test
    void listsEveryLicenseWithoutAQuery() {
        store();
        assertEquals(List.of("Blue Planet", "Blue Velvet", "Red Desert"), titles(LicenseQuery.all()));
    }

    @Test
    void filtersByTitleInAnyCase() {
        store();
        assertEquals(List.of("Blue Planet", "Blue Velvet"), titles(LicenseQuery.all().withTitleContaining("BLUE")));
    }

    @Test
    void filtersByRightsAndBinding() {
        store();
        assertEquals(List.of("Blue Planet"), titles(LicenseQuery.all().with(LicenseTrait.BACKUP_ALLOWED)));
        assertEquals(List.of("Blue Velvet"), titles(LicenseQuery.all().with(LicenseTrait.BOUND_ELSEWHERE)));
        assertEquals(List.of("Blue Velvet"), titles(LicenseQuery.all().with(LicenseTrait.EXPIRED)
                .with(LicenseTrait.BACKUP_NOT_ALLOWED)));
        assertEquals(List.of(), titles(LicenseQuery.all().with(LicenseTrait.EXPIRED).with(LicenseTrait.BOUND_HERE)));
    }

    @Test
    void filtersByTheStartOfTheKeyId() {
        store();
        String keyId;
        try (Stream<LicenseSummary> licenses = catalog.licenses(LicenseQuery.all().withTitleContaining("red"))) {
            keyId = licenses.findFirst().orElseThrow().keyId();
        }
        assertEquals(List.of("Red Desert"), titles(LicenseQuery.all().withKeyIdStartingWith(keyId)));
    }

    @Test
    void withoutAStoreSaysSo() {
        BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> catalog.licenses(LicenseQuery.all()));
        assertEquals(ErrorCode.STORE_UNAVAILABLE, e.code());
    }

    @Test
    void aStoreThatFailsWhileItIsReadIsAnIoError() {
        LicenseStore store = store();
        LicenseStore failing = new FailingStore(store, 1, false);
        catalog.bindStore(failing, RankedReference.store("flaky", 1));
        try (Stream<LicenseSummary> licenses = catalog.licenses(LicenseQuery.all())) {
            BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> licenses.toList());
            assertEquals("IO_ERROR: license store flaky: injected: the store's disk went away", e.getMessage());
        }
    }

    @Test
    void aStoreThatWentIsNoLongerListed() {
        LicenseStore store = store();
        catalog.unbindStore(store, storeReference);
        assertThrows(BackupRestoreException.class, () -> catalog.licenses(LicenseQuery.all()));
    }

    @Test
    void theStatusNamesTheStoreItsCountAndTheDevice() {
        store();
        HostStatus status = catalog.current();
        assertEquals("memory", status.storeName());
        assertEquals(OptionalLong.of(3), status.licenseCount());
        assertEquals("", status.storeProblem());
        assertEquals(device.deviceId(), status.deviceId());
        assertEquals(List.of(), status.recentOperations());
    }

    @Test
    void aStoreThatLostItsLicensesIsReportedByTheStatusWithWhatItHeldAndWhatToDo() {
        record.change().store(new DeviceRecord.StoreMark("memory", 850, NOW.minusSeconds(3600))).commit();
        InMemoryLicenseStore emptied = new InMemoryLicenseStore();
        catalog.bindStore(emptied, RankedReference.store("memory", 0));

        HostStatus status = catalog.current();

        assertEquals(OptionalLong.of(0), status.licenseCount());
        String expected = "the license store memory holds no licenses, but it held 850 licenses on 2026-05-31T23:00:00Z: it was"
                + " deleted or emptied; restore your newest backup (restore DIR) to bring them back";
        assertEquals(expected, status.storeProblem());
        assertEquals(0, catalog.licenses(LicenseQuery.all()).count());
    }

    @Test
    void aStoreEmptiedWhereTheRecordSaysItWasEmptyIsNoLoss() {
        record.change().store(new DeviceRecord.StoreMark("memory", 0, NOW)).commit();
        catalog.bindStore(new InMemoryLicenseStore(), RankedReference.store("memory", 0));

        assertEquals("", catalog.current().storeProblem());
        assertEquals(0, catalog.licenses(LicenseQuery.all()).count());
    }

    @Test
    void theStatusWithoutAStoreSaysSo() {
        HostStatus status = catalog.current();
        assertEquals("", status.storeName());
        assertEquals(OptionalLong.empty(), status.licenseCount());
        assertEquals("no license store is available", status.storeProblem());
    }

    @Test
    void theStatusKeepsTheOperationsTheirEndEventsTold() {
        catalog.handleEvent(new Event(EventTopics.BACKUP_END, Map.of(EventProperties.OPERATION_ID, "op-1",
                EventProperties.STATUS, "COMPLETED", EventProperties.SUCCEEDED, 3L)));
        HostStatus status = catalog.current();
        assertEquals("op-1", status.lastGoodBackup().orElseThrow().operationId());
        assertEquals(NOW, status.recentOperations().get(0).endedAt());
    }
}
