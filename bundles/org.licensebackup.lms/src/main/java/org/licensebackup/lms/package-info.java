/**
 * The license management service SPI: the authority that opens backups and authorizes each restore,
 * re-binding licenses to the restoring device within each license's device allowance. An embedded
 * default serves when a host registers none.
 */
@Export
@Version("1.0.0")
package org.licensebackup.lms;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
