package org.licensebackup.store.postgres.internal;

import java.util.Map;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.licensebackup.testing.postgres.PostgresCluster;
import org.licensebackup.testing.postgres.PostgresProcess;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.LicenseStoreContract;
import org.osgi.util.converter.Converters;
import org.postgresql.osgi.PGDataSourceFactory;

/** The SPI's promises, as every store keeps them, on a real PostgreSQL: a new database per test. */
class PostgresLicenseStoreContractTest extends LicenseStoreContract {

    @RegisterExtension
    static final PostgresCluster POSTGRES = new PostgresCluster();

    @Override
    protected LicenseStore openEmptyStore() {
        return open(POSTGRES.newDatabase("contract"));
    }

    @Override
    protected void release(LicenseStore store) {
        ((PostgresLicenseStoreComponent) store).deactivate();
    }

    /** The component as DS makes it, on the database at {@code url}, reading 100 licenses per round trip. */
    static PostgresLicenseStoreComponent open(String url) {
        return open(url, new PostgresStoreReadiness());
    }

    /** The component as DS makes it, telling {@code readiness} whether it reached its database. */
    static PostgresLicenseStoreComponent open(String url, PostgresStoreReadiness readiness) {
        return new PostgresLicenseStoreComponent(Converters.standardConverter()
                .convert(Map.of("database.url", url, "database.user", PostgresProcess.USER, "fetch.size", 100))
                .to(PostgresLicenseStoreComponent.Config.class), new PGDataSourceFactory(), readiness);
    }
}
