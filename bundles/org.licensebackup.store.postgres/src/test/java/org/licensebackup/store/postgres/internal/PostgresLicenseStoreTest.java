package org.licensebackup.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.testing.postgres.PostgresCluster;
import org.licensebackup.testing.postgres.PostgresProcess;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.postgresql.osgi.PGDataSourceFactory;

/**
 * What the PostgreSQL store does beyond the contract every store keeps ({@link PostgresLicenseStoreContractTest}):
 * a batch with a key ID twice, a read longer than many fetches, its errors.
 */
class PostgresLicenseStoreTest {

    @RegisterExtension
    static final PostgresCluster POSTGRES = new PostgresCluster();

    private final Issuer issuer = Issuer.generate("studio");
    private final byte[] deviceKey = KeyAgreement.generate().publicKey();
    private PostgresLicenseStoreComponent store;

    @BeforeEach
    void openStore() throws Exception {
        store = open(POSTGRES.newDatabase("store"));
    }

    @AfterEach
    void closeStore() {
        store.deactivate();
    }

    @Test
    void theLastPutOfAKeyIdInABatchWins() {
        License first = licenses(1).get(0);
        License used = first.withUsage(first.usage().played(java.time.Instant.parse("2026-01-01T00:00:00Z")));
        put(List.of(first));
        put(List.of(first, used));

        assertEquals(1, store.count());
        assertEquals(Optional.of(used), store.find(first.keyId()));
    }

    @Test
    void aReadOfEveryLicenseSeesOneSnapshotWhileCommitsGoOn() {
        List<License> before = licenses(2_500);
        put(before);
        List<KeyId> read = new ArrayList<>();
        try (Stream<License> licenses = store.licenses()) {
            Iterator<License> cursor = licenses.iterator();
            // a few rows in, the store changes under the reader: more than a fetch's worth, twice
            for (int i = 0; i < 10; i++) {
                read.add(cursor.next().keyId());
            }
            put(licenses(1_500));
            try (StoreTransaction transaction = store.begin()) {
                transaction.delete(before.stream().map(License::keyId).toList().subList(1_000, 2_000));
                transaction.commit();
            }
            cursor.forEachRemaining(license -> read.add(license.keyId()));
        }
        assertEquals(before.stream().map(License::keyId).sorted().toList(), read);
        assertEquals(3_000, store.count());
    }

    @Test
    void aStoreWhoseDatabaseCannotBeReachedFailsWithTheUrlAndAUrlTheDriverDoesNotTakeIsNamed() {
        StoreException unreachable = assertThrows(StoreException.class, () -> open("jdbc:postgresql://127.0.0.1:1/none?password=secret"));
        assertTrue(unreachable.getMessage().contains("jdbc:postgresql://127.0.0.1:1/none"), unreachable.getMessage());
        assertTrue(!unreachable.getMessage().contains("secret"), unreachable.getMessage());
        StoreException otherDatabase = assertThrows(StoreException.class, () -> open("jdbc:other:db"));
        assertTrue(otherDatabase.getMessage().contains("does not take database.url jdbc:other:db"), otherDatabase.getMessage());
    }

    @Test
    void itsReadinessIsNotConfiguredThenReadyThenWhyItCouldNotReachItsDatabase() {
        PostgresStoreReadiness readiness = new PostgresStoreReadiness();
        assertEquals(Readiness.State.NOT_STARTED, readiness.current().state());
        assertTrue(readiness.current().problem().startsWith("not configured"), readiness.current()::toString);

        PostgresLicenseStoreComponent reached = PostgresLicenseStoreContractTest.open(POSTGRES.newDatabase("readiness"), readiness);
        assertEquals(Readiness.ready(ReadinessService.STORE, "postgres"), readiness.current());
        reached.deactivate();
        assertEquals(Readiness.State.NOT_STARTED, readiness.current().state());

        StoreException unreachable = assertThrows(StoreException.class,
                () -> PostgresLicenseStoreContractTest.open("jdbc:postgresql://127.0.0.1:1/none", readiness));
        assertEquals(new Readiness(ReadinessService.STORE, "postgres", Readiness.State.FAILED, unreachable.getMessage()),
                readiness.current());
    }

    private static PostgresLicenseStoreComponent open(String url) {
        return PostgresLicenseStoreContractTest.open(url);
    }

    private void put(List<License> licenses) {
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(licenses);
            transaction.commit();
        }
    }

    private List<License> licenses(int count) {
        List<License> licenses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            licenses.add(issuer.issue(LicenseSpec.of("Title " + i, Rights.unlimited()), "device-1", deviceKey));
        }
        return licenses;
    }

    private static List<KeyId> keyIdsOf(PostgresLicenseStoreComponent store) {
        try (Stream<License> licenses = store.licenses()) {
            return licenses.map(License::keyId).toList();
        }
    }
}
