/**
 * The license management service SPI: the authority that opens backups for other devices and
 * authorizes each restore, re-binding licenses to the restoring device within each license's device
 * allowance, counted across every device that uses the service. Implementations: an HTTP client of
 * the license management server, and the server's own engine for hosts that run it in-process.
 *
 * <p>2.1.1: {@link org.licensebackup.lms.Rebinding} says it is a provider type (a micro change).
 *
 * <p>3.0: {@link org.licensebackup.lms.LicenseManagementService#release} answers which licenses it
 * released, not how many, so that a device deletes only what the service took back.
 */
@Export
@Version("3.0.0")
package org.licensebackup.lms;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
