package org.licensebackup.device.internal;

import java.nio.file.Path;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;

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

    /**
     * A new, empty record of {@code device} (one {@link #generate} made), kept in {@code folder} as
     * the device bundle keeps it.
     */
    public static DeviceRecord recordOf(DeviceIdentity device, Path folder) {
        return KeptRecord.withNewRecord(folder.resolve("device.key"), folder.resolve("device.record"), (DeviceKeys) device);
    }
}
