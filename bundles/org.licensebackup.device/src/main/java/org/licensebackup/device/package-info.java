/**
 * This device's identity: the keys that licenses are bound to and that sign its backups.
 *
 * <p>1.1: {@link org.licensebackup.device.DeviceIdentity#unwrapFileKey}, for backups the device
 * reopens without the license management service.
 */
@Export
@Version("1.1.0")
package org.licensebackup.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
