package org.licensebackup.restorer.internal;

import java.time.Clock;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.events.OperationEvents;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.osgi.service.log.Logger;

/**
 * What one operation works with, fixed when it starts: a host that registers another store or
 * license management service meanwhile affects only the next operation. {@code licenseManagement} is
 * null when the host has none, {@code logger} when no log service runs.
 */
record Collaborators(
        LicenseStore store,
        LicenseManagementService licenseManagement,
        DeviceIdentity device,
        RightsPolicy policy,
        OperationEvents events,
        Clock clock,
        int maxListed,
        Logger logger) {
}
