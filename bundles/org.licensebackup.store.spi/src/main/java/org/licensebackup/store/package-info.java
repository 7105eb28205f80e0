/**
 * The license store SPI: a host that keeps licenses in its own store registers a
 * {@link org.licensebackup.store.LicenseStore} service; the one with the highest service ranking is
 * used, and an embedded default with the lowest ranking serves when a host has none.
 */
@Export
@Version("1.2.0")
package org.licensebackup.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
