package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.osgi.framework.ServiceReference;

class BoundServiceTest {

    private final Set<ServiceReference<LicenseStore>> registry = new HashSet<>();
    private final BoundService<LicenseStore> stores = new BoundService<>(registry::contains);

    private RankedReference<LicenseStore> register(LicenseStore store, String name, int ranking) {
        RankedReference<LicenseStore> reference = RankedReference.store(name, ranking);
        registry.add(reference);
        stores.bind(store, reference);
        return reference;
    }

    @Test
    void theHighestRankingServesAndOfEqualRankingsTheOlder() {
        register(new InMemoryLicenseStore(), "embedded", Integer.MIN_VALUE);
        register(new InMemoryLicenseStore(), "host", 10);
        register(new InMemoryLicenseStore(), "later host", 10);
        assertEquals("host", stores.now().name());
    }

    @Test
    void aServiceTheRegistryNoLongerListsIsPassedOverBeforeSCRUnbindsIt() {
        LicenseStore embedded = new InMemoryLicenseStore();
        register(embedded, "embedded", Integer.MIN_VALUE);
        RankedReference<LicenseStore> going = register(new InMemoryLicenseStore(), "host", 10);
        registry.remove(going);
        assertEquals(embedded, stores.now().service());
    }

    @Test
    void anUnbindTakesOnlyItsOwnBindingAndNoneLeftIsNull() {
        LicenseStore embedded = new InMemoryLicenseStore();
        RankedReference<LicenseStore> embeddedReference = register(embedded, "embedded", Integer.MIN_VALUE);
        LicenseStore host = new InMemoryLicenseStore();
        RankedReference<LicenseStore> hostReference = register(host, "host", 10);
        stores.unbind(embedded, embeddedReference);
        assertEquals("host", stores.now().name());
        stores.unbind(host, hostReference);
        assertNull(stores.now());
    }

    @Test
    void aServiceWithoutANameIsNamedByItsClass() {
        assertEquals(InMemoryLicenseStore.class.getName(), BoundService.nameOf(new InMemoryLicenseStore(), null));
    }
}
