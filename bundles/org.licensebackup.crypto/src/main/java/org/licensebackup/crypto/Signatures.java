package org.licensebackup.crypto;

import java.security.SecureRandom;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 signatures through Bouncy Castle, thread-safe. */
public final class Signatures {

    public static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    public static RawKeyPair generate() {
        byte[] privateKey = new byte[Ed25519.SECRET_KEY_SIZE];
        Ed25519.generatePrivateKey(RANDOM, privateKey);
        return fromPrivateKey(privateKey);
    }

    public static RawKeyPair fromPrivateKey(byte[] privateKey) {
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return new RawKeyPair(privateKey, publicKey);
    }

    public static byte[] sign(RawKeyPair keys, byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(keys.privateKey(), 0, keys.publicKey(), 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code message}; false for malformed keys too. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || signature == null || publicKey.length != PUBLIC_KEY_LENGTH
                || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException malformedPoint) {
            return false;
        }
    }
}
