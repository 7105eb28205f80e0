package org.licensebackup.format;

import org.osgi.annotation.versioning.ConsumerType;

/** The device that makes a backup, which signs it with its Ed25519 key. */
@ConsumerType
public interface BackupSigner {

    /** The 32-byte Ed25519 public key that checks {@link #sign(byte[])}'s signatures. */
    byte[] publicKey();

    /** A 64-byte Ed25519 signature over {@code message}. */
    byte[] sign(byte[] message);
}
