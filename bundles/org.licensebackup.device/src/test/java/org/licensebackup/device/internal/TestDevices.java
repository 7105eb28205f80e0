package org.licensebackup.device.internal;

import org.licensebackup.device.DeviceIdentity;

/**
 * Devices with fresh keys in memory, exactly as the device bundle makes them, for the tests of the
 * bundles that work with a device outside OSGi (shipped in this module's test jar).
 */
public final class TestDevices {

    private TestDevices() {
    }

    public static DeviceIdentity generate() {
        return DeviceKeys.generate();
    }
}
