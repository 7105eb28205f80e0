package org.licensebackup.store.embedded.internal;

import java.nio.file.Path;

import org.licensebackup.license.License;
import org.licensebackup.store.ForwardingLicenseStore;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreProperties;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;
import org.licensebackup.datalocation.DataLocation;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The embedded store as a service of the lowest ranking, so that any store a host registers wins.
 * A new configuration reopens it (DS deactivates and activates the component again). Immediate, so
 * that whether it opens, and why not, is known at once ({@link EmbeddedStoreReadiness}).
 */
@Component(
        service = LicenseStore.class,
        immediate = true,
        configurationPid = EmbeddedLicenseStoreComponent.PID,
        property = {
            Constants.SERVICE_RANKING + ":Integer=" + Integer.MIN_VALUE,
            StoreProperties.NAME + "=" + EmbeddedLicenseStoreComponent.STORE_NAME
        })
@Designate(ocd = EmbeddedLicenseStoreComponent.Config.class)
public final class EmbeddedLicenseStoreComponent extends ForwardingLicenseStore {

    static final String PID = "org.licensebackup.store.embedded";
    static final String STORE_NAME = "embedded";

    @ObjectClassDefinition(name = "License Backup embedded license store",
            description = "The default license store, used when the host registers none.")
    public @interface Config {

        @AttributeDefinition(name = "Store file", description = "The file of the store; when empty, "
                + EmbeddedLicenseStore.DEFAULT_FILE_NAME + " in " + DataLocation.HOME_DESCRIPTION + "."
                + " A store of an earlier version found there (or as licenses.mv.db beside the default) is migrated.")
        String path() default "";

        @AttributeDefinition(name = "Cache size (MiB)", description = "The page cache of each connection to the store.", min = "1")
        int cache_size_mb() default EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB;
    }

    private final EmbeddedLicenseStore store;
    private final EmbeddedStoreReadiness readiness;

    @Activate
    public EmbeddedLicenseStoreComponent(BundleContext context, Config config, @Reference EmbeddedStoreReadiness readiness) {
        this.readiness = readiness;
        try {
            store = EmbeddedLicenseStore.open(storeFile(context, config.path()), config.cache_size_mb());
        } catch (RuntimeException e) {
            readiness.failed(e);
            throw e;
        }
        readiness.opened();
    }

    static Path storeFile(BundleContext context, String configuredPath) {
        return DataLocation.resolve(context, configuredPath, EmbeddedLicenseStore.DEFAULT_FILE_NAME, PID);
    }

    @Deactivate
    void deactivate() {
        readiness.closed();
        store.close();
    }

    @Override
    protected LicenseStore delegate() {
        return store;
    }
}
