package org.licensebackup.store.memory;

import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.LicenseStoreContract;

class InMemoryLicenseStoreTest extends LicenseStoreContract {

    @Override
    protected LicenseStore openEmptyStore() {
        return new InMemoryLicenseStore();
    }
}
