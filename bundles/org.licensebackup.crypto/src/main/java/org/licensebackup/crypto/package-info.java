/**
 * The cryptography License Backup rests on, in one place: Ed25519 signatures, X25519 key agreement,
 * HKDF and HPKE from Bouncy Castle (faster than the JDK's, see SPEC.md), AES-256-GCM from the JDK
 * (which uses the CPU's AES instructions).
 *
 * <p>1.1: content-key wrap version 2 ({@link org.licensebackup.crypto.ContentKeyWrapper},
 * {@link org.licensebackup.crypto.ContentKeyOpener}) and HPKE file-key wrap
 * ({@link org.licensebackup.crypto.FileKeyWrap}).
 *
 * <p>1.2: {@link org.licensebackup.crypto.DeviceIds}, the rule that makes a device ID from its
 * public keys, where the backup format can check it as well as the device and the server.
 */
@Export
@Version("1.2.0")
package org.licensebackup.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
