/**
 * The EventAdmin adapter: one {@link org.licensebackup.events.OperationEvents} per operation posts its
 * events in order from the operation's thread, numbered, with progress rate-limited.
 */
@Export
@Version("1.0.0")
package org.licensebackup.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
