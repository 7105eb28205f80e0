package org.licensebackup.crypto;

import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 key agreement and HKDF-SHA256 through Bouncy Castle, thread-safe. */
public final class KeyAgreement {

    public static final int KEY_LENGTH = X25519.POINT_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyAgreement() {
    }

    public static RawKeyPair generate() {
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(RANDOM, privateKey);
        return fromPrivateKey(privateKey);
    }

    public static RawKeyPair fromPrivateKey(byte[] privateKey) {
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return new RawKeyPair(privateKey, publicKey);
    }

    /**
     * The shared secret of {@code ours} and {@code theirPublicKey}.
     *
     * @throws CryptoException for a public key of low order (an all-zero shared secret)
     */
    public static byte[] agree(RawKeyPair ours, byte[] theirPublicKey) {
        if (theirPublicKey == null || theirPublicKey.length != KEY_LENGTH) {
            throw new CryptoException("an X25519 public key has 32 bytes");
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(ours.privateKey(), 0, theirPublicKey, 0, shared, 0)) {
            throw new CryptoException("X25519 public key of low order");
        }
        return shared;
    }

    /** HKDF-SHA256 (RFC 5869). */
    public static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(inputKey, salt, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }
}
