/**
 * Store hygiene: removing the licenses that can never be used again
 * ({@link org.licensebackup.api.hygiene.StoreHygiene}) and the EventAdmin topics of a clean
 * ({@link org.licensebackup.api.hygiene.HygieneTopics}). Moved here from {@code org.licensebackup.api}
 * 1.5, unchanged, in 1.0.
 */
@Export
@Version("1.0.0")
package org.licensebackup.api.hygiene;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
