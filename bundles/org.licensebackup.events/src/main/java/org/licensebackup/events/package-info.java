/**
 * The EventAdmin adapter: one {@link org.licensebackup.events.OperationEvents} per operation posts its
 * events in order from the operation's thread, numbered, with progress rate-limited.
 *
 * <p>1.0.1: {@link org.licensebackup.events.OperationEvents} says it is a provider type, as bnd's
 * baseline asks (a micro change).
 *
 * <p>2.0.0: {@link org.licensebackup.events.OperationEvents#end} takes the operation's
 * {@link org.licensebackup.api.Report}, so that {@code END} carries every count of it (a changed
 * signature: major).
 */
@Export
@Version("2.0.0")
package org.licensebackup.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
