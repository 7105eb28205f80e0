package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseQuery;
import org.licensebackup.api.LicenseSummary;
import org.licensebackup.api.LicenseTrait;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.Rights;
import org.licensebackup.policy.internal.IssuerRightsPolicy;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;

class LicenseCatalogComponentTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();
    private final DeviceIdentity device = TestDevices.generate();
    private final DeviceIdentity otherDevice = TestDevices.generate();
    private final Issuer issuer = Issuer.generate("Catalog Issuer");
    private final LicenseCatalogComponent catalog = new LicenseCatalogComponent(device, policy,
            Clock.fixed(NOW, ZoneOffset.UTC));

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
        catalog.bindStore(store, Map.of("licensebackup.store.name", "memory"));
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
        LicenseStore failing = new LicenseStore() {
            @Override
            public long count() {
                return store.count();
            }

            @Override
            public Optional<License> find(KeyId keyId) {
                return store.find(keyId);
            }

            @Override
            public Stream<License> licenses() {
                return Stream.concat(store.licenses().limit(1), Stream.generate(() -> {
                    throw new StoreException("the disk is gone");
                }));
            }

            @Override
            public StoreTransaction begin() {
                return store.begin();
            }
        };
        catalog.bindStore(failing, Map.of("licensebackup.store.name", "flaky"));
        try (Stream<LicenseSummary> licenses = catalog.licenses(LicenseQuery.all())) {
            BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> licenses.toList());
            assertEquals("IO_ERROR: license store flaky: the disk is gone", e.getMessage());
        }
    }

    @Test
    void aStoreThatWentIsNoLongerListed() {
        LicenseStore store = store();
        catalog.unbindStore(store);
        assertThrows(BackupRestoreException.class, () -> catalog.licenses(LicenseQuery.all()));
    }
}
