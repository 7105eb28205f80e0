/**
 * The rights policy: license by license, what a backup may take and what a restore may write.
 *
 * <p>1.0.1: {@link org.licensebackup.policy.RestoreDecision} says it is a provider type (a micro change).
 */
@Export
@Version("1.0.1")
package org.licensebackup.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
