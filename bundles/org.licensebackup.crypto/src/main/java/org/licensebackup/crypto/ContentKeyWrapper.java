package org.licensebackup.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Wraps content keys for one device in the version 2 form of {@link ContentKeys}: one ephemeral
 * X25519 key, agreed with the device's key once when the wrapper is made, serves every license,
 * because each license's key is derived from its key ID and the device as well. A license server
 * keeps one wrapper per device for a session. Thread-safe; never printed with its secret.
 */
public final class ContentKeyWrapper {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String deviceId;
    private final byte[] ephemeralPublicKey;
    private final byte[] salt;
    private final byte[] sharedSecret;

    ContentKeyWrapper(String deviceId, byte[] deviceAgreementPublicKey) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceAgreementPublicKey, "deviceAgreementPublicKey");
        RawKeyPair ephemeral = KeyAgreement.generate();
        this.sharedSecret = KeyAgreement.agree(ephemeral, deviceAgreementPublicKey);
        this.ephemeralPublicKey = ephemeral.publicKey();
        this.salt = ContentKeys.saltV2(ephemeralPublicKey, deviceAgreementPublicKey);
    }

    /** The device every key this wrapper wraps is bound to. */
    public String deviceId() {
        return deviceId;
    }

    /** The ephemeral public key that every key this wrapper wraps carries. */
    public byte[] ephemeralPublicKey() {
        return ephemeralPublicKey.clone();
    }

    /**
     * Wraps a content key for the license {@code keyId} on this wrapper's device, without a
     * public-key operation.
     *
     * @return {@value ContentKeys#WRAPPED_V2_LENGTH} bytes
     * @throws CryptoException when {@code contentKey} is not {@value ContentKeys#CONTENT_KEY_LENGTH} bytes
     */
    public byte[] wrap(byte[] contentKey, byte[] keyId) {
        Objects.requireNonNull(contentKey, "contentKey");
        if (contentKey.length != ContentKeys.CONTENT_KEY_LENGTH) {
            throw new CryptoException("a content key has " + ContentKeys.CONTENT_KEY_LENGTH + " bytes, not " + contentKey.length);
        }
        byte[] key = ContentKeys.keyV2(sharedSecret, salt, keyId, deviceId);
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] sealed = Aead.seal(key, nonce, ContentKeys.context(keyId, deviceId), contentKey);
        byte[] wrapped = new byte[ContentKeys.WRAPPED_V2_LENGTH];
        wrapped[0] = ContentKeys.VERSION_2;
        System.arraycopy(ephemeralPublicKey, 0, wrapped, 1, KeyAgreement.KEY_LENGTH);
        System.arraycopy(nonce, 0, wrapped, 1 + KeyAgreement.KEY_LENGTH, Aead.NONCE_LENGTH);
        System.arraycopy(sealed, 0, wrapped, 1 + KeyAgreement.KEY_LENGTH + Aead.NONCE_LENGTH, sealed.length);
        return wrapped;
    }

    /** Leaves the shared secret out. */
    @Override
    public String toString() {
        return "ContentKeyWrapper[deviceId=" + deviceId + "]";
    }
}
