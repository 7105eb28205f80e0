package org.licensebackup.cli.internal;

import java.util.Objects;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestorer;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.store.LicenseStore;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The services a command uses, each looked up when the command needs it: a command reads one at the
 * start of each step and keeps it for the step.
 */
record Services(
        Supplier<BackupRestorer> restorer,
        Supplier<LicenseStore> store,
        Supplier<DeviceIdentity> device,
        Supplier<ConfigurationAdmin> configurationAdmin,
        Supplier<HostSetup> hostSetup,
        Runnable untilStopped) {

    Services {
        Objects.requireNonNull(restorer, "restorer");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(configurationAdmin, "configurationAdmin");
        Objects.requireNonNull(hostSetup, "hostSetup");
        Objects.requireNonNull(untilStopped, "untilStopped");
    }
}
