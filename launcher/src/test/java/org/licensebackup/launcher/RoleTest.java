package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void theServerCommandRunsTheServerAndEveryOtherOneADevice() {
        assertEquals(Role.SERVER, Role.of(List.of("server", "--port", "0")));
        assertEquals(Role.DEVICE, Role.of(List.of("restore", "dir")));
        assertEquals(Role.DEVICE, Role.of(List.of("help")));
    }

    @Test
    void aDeviceRunsNoWebServer() {
        assertFalse(Role.DEVICE.installs("org.licensebackup.lms.server"));
        assertFalse(Role.DEVICE.installs("org.eclipse.jetty.server"));
        assertTrue(Role.DEVICE.installs("org.licensebackup.lms.client"));
        assertTrue(Role.DEVICE.installs("org.licensebackup.restorer"));
        assertTrue(Role.DEVICE.installs("org.apache.felix.log"));
    }

    @Test
    void aServerKeepsNoLicenseStoreAndMakesNoBackups() {
        assertFalse(Role.SERVER.installs("org.licensebackup.restorer"));
        assertFalse(Role.SERVER.installs("org.licensebackup.store.embedded"));
        assertFalse(Role.SERVER.installs("org.licensebackup.lms.client"));
        assertTrue(Role.SERVER.installs("org.licensebackup.lms.server"));
        assertTrue(Role.SERVER.installs("org.eclipse.jetty.http"));
        assertTrue(Role.SERVER.installs("org.licensebackup.cli"));
    }
}
