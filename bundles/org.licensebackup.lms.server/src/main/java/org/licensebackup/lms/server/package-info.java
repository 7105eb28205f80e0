/**
 * The license management server as a service: where it listens and the keys devices know it by, so
 * that a launcher can print them and a test can point a client at it.
 */
@Export
@Version("1.0.0")
package org.licensebackup.lms.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
