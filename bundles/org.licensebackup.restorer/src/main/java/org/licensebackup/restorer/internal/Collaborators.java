package org.licensebackup.restorer.internal;

import java.time.Clock;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.events.OperationEvents;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.osgi.service.log.Logger;

/**
 * What one operation works with, fixed when it starts: a host that registers another store or
 * license management service meanwhile affects only the next operation. {@code licenseManagement} is
 * null when the host has none, {@code logger} when no log service runs. {@code storeName} is the store's
 * {@code licensebackup.store.name}, or its class; {@code record} what the device remembers beside its keys.
 */
record Collaborators(
        LicenseStore store,
        String storeName,
        LicenseManagementService licenseManagement,
        DeviceIdentity device,
        DeviceRecord record,
        RightsPolicy policy,
        OperationEvents events,
        Clock clock,
        int maxListed,
        Logger logger) {
}
