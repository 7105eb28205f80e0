package org.licensebackup.store.postgres.internal;

import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.licensebackup.store.StoreProperties;
import org.osgi.service.component.annotations.Component;

/**
 * Whether the PostgreSQL store serves, and why not, as {@link PostgresLicenseStoreComponent} finds
 * when it reaches its database: a component that fails to activate registers no store, so it tells
 * this one, which is there configured or not, before it fails.
 */
@Component(service = {ReadinessService.class, PostgresStoreReadiness.class},
        property = {ReadinessService.PART + "=" + ReadinessService.STORE,
            StoreProperties.NAME + "=" + PostgresLicenseStoreComponent.STORE_NAME})
public final class PostgresStoreReadiness implements ReadinessService {

    private static final Readiness NOT_CONFIGURED = Readiness.notStarted(STORE, PostgresLicenseStoreComponent.STORE_NAME,
            "not configured (" + PostgresLicenseStoreComponent.PID + ")");

    private volatile Readiness current = NOT_CONFIGURED;

    void reached() {
        current = Readiness.ready(STORE, PostgresLicenseStoreComponent.STORE_NAME);
    }

    void failed(RuntimeException why) {
        current = Readiness.failed(STORE, PostgresLicenseStoreComponent.STORE_NAME, why);
    }

    /** Its configuration went, or a new one is about to be tried. */
    void closed() {
        current = NOT_CONFIGURED;
    }

    @Override
    public Readiness current() {
        return current;
    }
}
