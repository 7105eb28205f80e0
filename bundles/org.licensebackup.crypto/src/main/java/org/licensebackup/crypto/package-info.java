/**
 * The cryptography License Backup rests on, in one place: Ed25519 signatures, X25519 key agreement
 * and HKDF from Bouncy Castle (faster than the JDK's, see SPEC.md), AES-256-GCM from the JDK (which
 * uses the CPU's AES instructions).
 */
@Export
@Version("1.0.0")
package org.licensebackup.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
