/**
 * This device's identity: the keys that licenses are bound to and that sign its backups.
 */
@Export
@Version("1.1.0")
package org.licensebackup.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
