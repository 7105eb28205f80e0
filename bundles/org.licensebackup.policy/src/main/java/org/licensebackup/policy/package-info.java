/**
 * The rights policy: license by license, what a backup may take and what a restore may write.
 *
 * <p>1.0.1: {@link org.licensebackup.policy.RestoreDecision} says it is a provider type (a micro change).
 * <p>1.1: the rules a restorer used to keep itself: which device a license is bound to
 * ({@link org.licensebackup.policy.RightsPolicy#binding}, {@link org.licensebackup.policy.Binding}) and
 * whether it is genuine ({@link org.licensebackup.policy.RightsPolicy#genuine}).
 * <p>1.2: what store hygiene may remove ({@link org.licensebackup.policy.RightsPolicy#neverUsableAgain}).
 */
@Export
@Version("1.2.0")
package org.licensebackup.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
