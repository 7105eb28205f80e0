/**
 * The wire protocol between a device and the license management server, shared by the server and
 * its HTTP client: endpoints, bounded binary bodies, request signatures by the device's Ed25519 key
 * and answer signatures by the server's (a subset of RFC 9421 HTTP Message Signatures with RFC 9530
 * {@code Content-Digest}), single-use nonces and per-session sequence numbers against replay, and
 * typed errors. Specified byte for byte in {@code docs/lms-protocol.md}.
 */
@Export
@Version("2.1.0")
package org.licensebackup.lms.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
