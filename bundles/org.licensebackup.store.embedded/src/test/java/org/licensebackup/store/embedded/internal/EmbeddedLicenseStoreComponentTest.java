package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.license.License;
import org.licensebackup.store.NumberedLicenses;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;
import org.osgi.framework.BundleContext;

class EmbeddedLicenseStoreComponentTest {

    @TempDir
    Path folder;

    /** A bundle context with the given framework properties and data area ({@code null}: none). */
    private static BundleContext context(Map<String, String> properties, Path dataArea) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) arguments[0]);
                    case "getDataFile" -> dataArea == null ? null : new File(dataArea.toFile(), (String) arguments[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static EmbeddedLicenseStoreComponent.Config config(String path) {
        return (EmbeddedLicenseStoreComponent.Config) Proxy.newProxyInstance(
                EmbeddedLicenseStoreComponent.Config.class.getClassLoader(),
                new Class<?>[] {EmbeddedLicenseStoreComponent.Config.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "path" -> path;
                    case "cache_size_mb" -> 1;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void keepsTheStoreInTheProductHomeWhenNoPathIsConfigured() {
        Path home = folder.resolve("home");

        assertEquals(home.resolve("licenses.db"), EmbeddedLicenseStoreComponent.storeFile(
                context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), folder.resolve("data")), ""));
    }

    @Test
    void deactivationClosesTheStoreWithItsLicenses() {
        Path file = folder.resolve("component.db");
        License license = NumberedLicenses.license(1);
        EmbeddedStoreReadiness readiness = new EmbeddedStoreReadiness();
        EmbeddedLicenseStoreComponent component = new EmbeddedLicenseStoreComponent(context(Map.of(), folder), config(file.toString()),
                readiness);
        assertEquals(Readiness.ready(ReadinessService.STORE, "embedded"), readiness.current());
        try (StoreTransaction transaction = component.begin()) {
            transaction.put(List.of(license));
            transaction.commit();
        }

        component.deactivate();

        assertThrows(StoreException.class, component::count);
        assertEquals(Readiness.State.NOT_STARTED, readiness.current().state());
        // a closed store has folded its WAL into the file
        assertFalse(Files.exists(folder.resolve("component.db-wal")));
        try (EmbeddedLicenseStore reopened = EmbeddedLicenseStore.open(file, 1); var licenses = reopened.licenses()) {
            assertEquals(List.of(license), licenses.toList());
        }
    }

    @Test
    void aStoreFileThatDoesNotOpenIsKeptAndItsReadinessSaysWhyAsTheErrorDoes() throws Exception {
        Path file = Files.writeString(folder.resolve("damaged.db"), "not a database, not a store of any version ".repeat(200));
        byte[] damaged = Files.readAllBytes(file);
        EmbeddedStoreReadiness readiness = new EmbeddedStoreReadiness();
        assertEquals(Readiness.State.NOT_STARTED, readiness.current().state());

        StoreException refused = assertThrows(StoreException.class,
                () -> new EmbeddedLicenseStoreComponent(context(Map.of(), folder), config(file.toString()), readiness));

        assertEquals(new Readiness(ReadinessService.STORE, "embedded", Readiness.State.FAILED, refused.getMessage()),
                readiness.current());
        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(file));
    }
}
