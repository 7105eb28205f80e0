/**
 * This device's identity: the keys that licenses are bound to and that sign its backups.
 *
 * <p>1.1: {@link org.licensebackup.device.DeviceIdentity#unwrapFileKey}, for backups the device
 * reopens without the license management service.
 *
 * <p>1.2: {@link org.licensebackup.device.DeviceRecord}, what the device remembers beside its keys (what
 * it gave back, how far its licenses were used, the store it last used), so that it outlives a lost store.
 */
@Export
@Version("1.2.0")
package org.licensebackup.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
