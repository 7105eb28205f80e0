package org.licensebackup.store.embedded.internal;

import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.licensebackup.store.StoreProperties;
import org.osgi.service.component.annotations.Component;

/**
 * Whether the embedded store serves, and why not, as {@link EmbeddedLicenseStoreComponent} finds when
 * it opens its file: a component that fails to activate registers no store, so it tells this one,
 * which is always there, before it fails.
 */
@Component(service = {ReadinessService.class, EmbeddedStoreReadiness.class},
        property = {ReadinessService.PART + "=" + ReadinessService.STORE,
            StoreProperties.NAME + "=" + EmbeddedLicenseStoreComponent.STORE_NAME})
public final class EmbeddedStoreReadiness implements ReadinessService {

    private volatile Readiness current = notStarted("");

    private static Readiness notStarted(String why) {
        return Readiness.notStarted(STORE, EmbeddedLicenseStoreComponent.STORE_NAME, why);
    }

    void opened() {
        current = Readiness.ready(STORE, EmbeddedLicenseStoreComponent.STORE_NAME);
    }

    void failed(RuntimeException why) {
        current = Readiness.failed(STORE, EmbeddedLicenseStoreComponent.STORE_NAME, why);
    }

    void closed() {
        current = notStarted("closed: it is being reconfigured, or the host is stopping");
    }

    @Override
    public Readiness current() {
        return current;
    }
}
