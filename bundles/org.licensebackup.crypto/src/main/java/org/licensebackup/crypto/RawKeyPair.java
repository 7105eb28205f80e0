package org.licensebackup.crypto;

import java.util.Objects;

/**
 * A 32-byte private key and its 32-byte public key, for Ed25519 or X25519.
 *
 * @param privateKey the private key; never logged
 * @param publicKey the public key
 */
public record RawKeyPair(byte[] privateKey, byte[] publicKey) {

    public RawKeyPair {
        privateKey = Objects.requireNonNull(privateKey, "privateKey").clone();
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        if (privateKey.length != 32 || publicKey.length != 32) {
            throw new CryptoException("keys of Ed25519 and X25519 have 32 bytes");
        }
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Leaves the private key out. */
    @Override
    public String toString() {
        return "RawKeyPair[publicKey=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
    }
}
