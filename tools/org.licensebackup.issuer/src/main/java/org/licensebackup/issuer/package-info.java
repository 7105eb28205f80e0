/**
 * The issuer tool for tests, benchmarks and the demo: issuer keys, and licenses signed by them with
 * chosen rights and titles, bound to a chosen device.
 */
@Export
@Version("1.0.0")
package org.licensebackup.issuer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
