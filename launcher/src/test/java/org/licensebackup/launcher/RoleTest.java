package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoleTest {

    @TempDir
    Path configuration;

    @Test
    void theServerCommandRunsTheServerAndEveryOtherOneADevice() {
        assertEquals(Role.SERVER, Role.of(List.of("server", "--port", "0"), configuration));
        assertEquals(Role.DEVICE, Role.of(List.of("restore", "dir"), configuration));
        assertEquals(Role.DEVICE, Role.of(List.of("help"), configuration));
        assertEquals(Role.DEVICE, Role.of(List.of("store", "embedded"), configuration));
    }

    @Test
    void aDeviceRunsOnPostgresFromTheStoreCommandThatMovesItThereOnAsLongAsItIsConfigured() throws IOException {
        assertEquals(Role.DEVICE_ON_POSTGRES, Role.of(List.of("store", "postgres", "jdbc:postgresql://db/licenses"), configuration));
        Path stored = configuration.resolve(Role.POSTGRES_STORE_CONFIGURATION);
        Files.createDirectories(stored.getParent());
        Files.writeString(stored, "database.url=\"jdbc:postgresql://db/licenses\"");

        assertEquals(Role.DEVICE_ON_POSTGRES, Role.of(List.of("backup", "dir"), configuration));
        assertEquals(Role.DEVICE_ON_POSTGRES, Role.of(List.of("store", "embedded"), configuration));
    }

    @Test
    void aDeviceRunsNoWebServerAndOnlyOneOnPostgresItsPool() {
        for (Role device : List.of(Role.DEVICE, Role.DEVICE_ON_POSTGRES)) {
            assertFalse(device.installs("org.licensebackup.lms.server"));
            assertFalse(device.installs("org.eclipse.jetty.server"));
            assertTrue(device.installs("org.licensebackup.lms.client"));
            assertTrue(device.installs("org.licensebackup.restorer"));
            assertTrue(device.installs("org.licensebackup.store.embedded"));
        }
        for (String pool : List.of("org.licensebackup.store.postgres", "com.zaxxer.HikariCP", "org.postgresql.jdbc", "slf4j.api",
                "org.apache.aries.spifly.dynamic.bundle")) {
            assertFalse(Role.DEVICE.installs(pool), pool);
            assertTrue(Role.DEVICE_ON_POSTGRES.installs(pool), pool);
        }
    }

    @Test
    void bothRolesRunTheLogServiceTheirBundlesLogThrough() {
        assertTrue(Role.DEVICE.installs("org.apache.felix.log"));
        assertTrue(Role.DEVICE_ON_POSTGRES.installs("org.apache.felix.log"));
        assertTrue(Role.SERVER.installs("org.apache.felix.log"));
    }

    @Test
    void aServerKeepsNoLicenseStoreAndMakesNoBackups() {
        assertFalse(Role.SERVER.installs("org.licensebackup.restorer"));
        assertFalse(Role.SERVER.installs("org.licensebackup.store.embedded"));
        assertFalse(Role.SERVER.installs("org.licensebackup.store.postgres"));
        assertTrue(Role.SERVER.installs("org.postgresql.jdbc"));
        assertFalse(Role.SERVER.installs("org.xerial.sqlite-jdbc"));
        assertTrue(Role.DEVICE.installs("org.xerial.sqlite-jdbc"));
        assertFalse(Role.SERVER.installs("org.licensebackup.lms.client"));
        assertFalse(Role.SERVER.installs("org.licensebackup.shell"), "a server backs up and restores nothing");
        assertTrue(Role.DEVICE.installs("org.licensebackup.shell"));
        assertTrue(Role.DEVICE.installs("org.apache.felix.gogo.runtime"));
        assertTrue(Role.SERVER.installs("org.licensebackup.lms.server"));
        assertTrue(Role.SERVER.installs("org.eclipse.jetty.http"));
        assertTrue(Role.SERVER.installs("org.licensebackup.cli"));
    }
}
