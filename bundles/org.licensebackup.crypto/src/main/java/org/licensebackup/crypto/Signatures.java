package org.licensebackup.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 signatures through Bouncy Castle, thread-safe. */
public final class Signatures {

    public static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Public keys decoded to curve points, by key: decoding takes a square root, about a seventh of a
     * verification, and a restore checks a million licenses signed by a handful of issuers. Bounded:
     * emptied when it holds {@value #MAX_DECODED_KEYS} keys, as a stream of ever new keys would make it.
     */
    private static final Map<ByteBuffer, Ed25519.PublicPoint> DECODED_KEYS = new ConcurrentHashMap<>();
    private static final int MAX_DECODED_KEYS = 256;

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
            Ed25519.PublicPoint point = decoded(publicKey);
            return point != null && Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException malformedPoint) {
            return false;
        }
    }

    /** The key's point, checked as a verification checks it; null when it is none. */
    private static Ed25519.PublicPoint decoded(byte[] publicKey) {
        ByteBuffer key = ByteBuffer.wrap(publicKey);
        Ed25519.PublicPoint point = DECODED_KEYS.get(key);
        if (point == null) {
            point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (point != null) {
                if (DECODED_KEYS.size() >= MAX_DECODED_KEYS) {
                    DECODED_KEYS.clear();
                }
                // a copy: the caller's array may change after the call
                DECODED_KEYS.put(ByteBuffer.wrap(publicKey.clone()), point);
            }
        }
        return point;
    }
}
