/**
 * The license model: what an issuer grants and signs ({@link org.licensebackup.license.LicenseGrant}),
 * the device's own record of use ({@link org.licensebackup.license.Usage}), and the binary form every
 * store and backup keeps them in ({@link org.licensebackup.license.LicenseCodec}).
 */
@Export
@Version("1.0.0")
package org.licensebackup.license;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
