package org.licensebackup.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.junit.jupiter.api.Test;

class InMemoryLicenseStoreTest {

    private final InMemoryLicenseStore store = new InMemoryLicenseStore();

    @Test
    void changesAreInvisibleUntilCommitAndVisibleToTheirOwnTransaction() {
        License license = license(1);
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license));
            assertEquals(Optional.of(license), transaction.find(license.keyId()));
            assertEquals(0, store.count());
            transaction.commit();
        }
        assertEquals(Optional.of(license), store.find(license.keyId()));
    }

    @Test
    void closingWithoutCommitDropsEveryChange() {
        License kept = license(1);
        commit(kept);
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license(2)));
            transaction.delete(List.of(kept.keyId()));
        }
        assertEquals(1, store.count());
        assertTrue(store.find(kept.keyId()).isPresent());
    }

    @Test
    void deletesInBatches() {
        commit(license(1), license(2), license(3));
        try (StoreTransaction transaction = store.begin()) {
            transaction.delete(List.of(license(1).keyId(), license(3).keyId(), license(9).keyId()));
            transaction.commit();
        }
        assertEquals(List.of(license(2)), store.licenses().toList());
    }

    @Test
    void anEndedTransactionRefusesMoreWork() {
        StoreTransaction transaction = store.begin();
        transaction.commit();
        assertThrows(StoreException.class, () -> transaction.put(List.of(license(1))));
    }

    private void commit(License... licenses) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(licenses));
            transaction.commit();
        }
    }

    private static License license(int n) {
        byte[] keyId = new byte[16];
        keyId[15] = (byte) n;
        LicenseGrant grant = new LicenseGrant(KeyId.of(keyId), "issuer", "content-" + n, "Title " + n,
                Rights.unlimited(), "device", new byte[48], Instant.EPOCH);
        return License.of(grant, new byte[32], new byte[64], Usage.NONE);
    }
}
