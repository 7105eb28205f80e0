/**
 * The rights policy: license by license, what a backup may take and what a restore may write.
 */
@Export
@Version("1.0.0")
package org.licensebackup.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
