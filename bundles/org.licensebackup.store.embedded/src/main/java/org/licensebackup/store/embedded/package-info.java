/**
 * The embedded default license store, for hosts, benchmarks and tools that want it outside OSGi
 * too: {@link org.licensebackup.store.embedded.EmbeddedLicenseStore#open(java.nio.file.Path, int)}.
 * In a framework, the bundle registers it as a {@link org.licensebackup.store.LicenseStore} service
 * of the lowest ranking.
 */
@Export
@Version("1.0.0")
package org.licensebackup.store.embedded;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
