package org.licensebackup.datalocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class DataLocationTest {

    @TempDir
    Path folder;

    @Test
    void theConfiguredPathComesFirst() {
        Path configured = folder.resolve("configured.db");
        assertEquals(configured, DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, folder.resolve("home").toString()),
                folder), configured.toString(), "file.db", "pid"));
    }

    @Test
    void withoutAPathTheFileLivesInTheLicenseBackupHome() {
        Path home = folder.resolve("home");
        assertEquals(home.resolve("file.db"), DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, home.toString()),
                folder.resolve("data")), " ", "file.db", "pid"));
    }

    @Test
    void withoutAHomeTheFileLivesInTheBundlesDataArea() {
        Path data = folder.resolve("data");
        assertEquals(data.resolve("file.db"), DataLocation.resolve(context(Map.of(), data), null, "file.db", "pid"));
    }

    @Test
    void withoutAnyPlaceItFailsNamingTheConfigurationToSet() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> DataLocation.resolve(context(Map.of(), null), "", "file.db", "org.example.pid"));
        assertEquals(true, failure.getMessage().contains("org.example.pid"));
    }

    private static BundleContext context(Map<String, String> properties, Path dataArea) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) arguments[0]);
                    case "getDataFile" -> dataArea == null ? null : new File(dataArea.toFile(), (String) arguments[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
