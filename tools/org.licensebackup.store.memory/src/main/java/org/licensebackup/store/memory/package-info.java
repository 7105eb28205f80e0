/**
 * A license store kept in memory: for hosts' tests, and for devices whose licenses the host persists
 * by other means.
 */
@Export
@Version("1.0.0")
package org.licensebackup.store.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
