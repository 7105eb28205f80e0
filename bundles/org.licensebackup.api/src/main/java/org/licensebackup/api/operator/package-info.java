/**
 * What an operator sees of a host: its licenses as the rights policy sees them on this device
 * ({@link org.licensebackup.api.operator.LicenseCatalog}, filtered by a
 * {@link org.licensebackup.api.operator.LicenseQuery}) and where it stands
 * ({@link org.licensebackup.api.operator.HostStatusService}: the store in use, the device, how the last
 * operations ended). Moved here from {@code org.licensebackup.api} 1.5, unchanged, in 1.0.
 */
@Export
@Version("1.0.0")
package org.licensebackup.api.operator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
