package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roles as the build resolved them: the bndrun files bnd wrote into target/bundles. */
class RoleTest {

    /** Where the build puts the bundles and each role's resolved bndrun, as the launcher jar finds them beside it. */
    private static final Path BUNDLES = Path.of("target", "bundles");

    @Test
    void theCommandAloneTellsTheRole() {
        assertEquals(Role.SERVER, Role.of(List.of("server", "--port", "0")));
        assertEquals(Role.SERVER, Role.of(List.of("operator", "add", "operators", "anna", "--password-file", "pw")));
        assertEquals(Role.DEVICE, Role.of(List.of("restore", "dir")));
        assertEquals(Role.DEVICE, Role.of(List.of("help")));
        assertEquals(Role.DEVICE, Role.of(List.of("store", "postgres", "jdbc:postgresql://db/licenses")));
    }

    @Test
    void aDeviceRunsTheStoresTheClientAndTheOperatorsCommandsButNoWebServer() throws LaunchException {
        Set<String> device = Role.DEVICE.bundles(BUNDLES);
        for (String name : List.of("org.licensebackup.restorer", "org.licensebackup.schedule", "org.licensebackup.shell",
                "org.licensebackup.store.embedded", "org.xerial.sqlite-jdbc", "org.licensebackup.store.postgres", "com.zaxxer.HikariCP",
                "org.postgresql.jdbc", "org.licensebackup.lms.client", "org.licensebackup.cli", "org.apache.felix.gogo.runtime",
                "org.licensebackup.issuer", "org.apache.felix.log", "org.apache.felix.scr")) {
            assertTrue(device.contains(name), name);
        }
        assertFalse(device.contains("org.licensebackup.lms.server"));
        assertTrue(device.stream().noneMatch(name -> name.startsWith("org.eclipse.jetty.")), device::toString);
    }

    @Test
    void aServerRunsTheLicenseServerAndNoStoreNorOperatorsCommands() throws LaunchException {
        Set<String> server = Role.SERVER.bundles(BUNDLES);
        for (String name : List.of("org.licensebackup.lms.server", "org.eclipse.jetty.server", "org.licensebackup.cli",
                "org.apache.felix.gogo.runtime", "org.postgresql.jdbc", "org.apache.felix.log")) {
            assertTrue(server.contains(name), name);
        }
        for (String name : List.of("org.licensebackup.restorer", "org.licensebackup.schedule", "org.licensebackup.shell",
                "org.licensebackup.store.embedded", "org.licensebackup.store.postgres", "org.xerial.sqlite-jdbc",
                "org.licensebackup.lms.client")) {
            assertFalse(server.contains(name), name);
        }
    }

    @Test
    void everyBundleARoleRunsIsInTheBundleDirectory() throws LaunchException {
        for (Role role : Role.values()) {
            assertEquals(role.bundles(BUNDLES).size(), EmbeddedFramework.jarsOf(role, BUNDLES).size(), role::name);
        }
    }

    @Test
    void aDirectoryWithoutTheRolesBndrunOrWithABundleMissingIsOneClearError(@TempDir Path directory) throws IOException {
        Files.copy(BUNDLES.resolve("server.bndrun"), directory.resolve("server.bndrun"));
        Files.copy(BUNDLES.resolve("org.licensebackup.cli.jar"), directory.resolve("org.licensebackup.cli.jar"));
        assertTrue(assertThrows(LaunchException.class, () -> EmbeddedFramework.jarsOf(Role.DEVICE, directory)).getMessage()
                .contains("no device.bndrun in " + directory));
        String message = assertThrows(LaunchException.class, () -> EmbeddedFramework.jarsOf(Role.SERVER, directory)).getMessage();
        assertTrue(message.contains("lacks what server.bndrun runs: ") && message.contains("org.licensebackup.lms.server")
                && !message.contains("org.licensebackup.cli,"), message);
    }

    @Test
    void splitsABndHeaderAtTheCommasOutsideQuotes() {
        assertEquals(List.of("a;version='[1.0,2.0)'", "b;version=snapshot", "c"),
                Role.clauses("a;version='[1.0,2.0)',b;version=snapshot,c"));
    }
}
