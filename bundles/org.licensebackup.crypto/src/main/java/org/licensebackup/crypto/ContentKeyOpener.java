package org.licensebackup.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Opens content keys bound to one device, in both forms of {@link ContentKeys}. Version 1 costs
 * one X25519 agreement per key. Version 2 costs one per distinct ephemeral key: the shared
 * secrets of the most recently used {@value #CACHED_EPHEMERAL_KEYS} ephemeral keys are kept, so a
 * store whose licenses came from a few issuer sessions opens at the cost of HKDF and AES-GCM.
 * Thread-safe: several threads may open at once; the cache's lock is never held during an agreement.
 */
public final class ContentKeyOpener {

    /** How many ephemeral keys' shared secrets are kept: 32 KiB of secrets, far more than the sessions a store's licenses come from. */
    public static final int CACHED_EPHEMERAL_KEYS = 1024;

    private static final int EPHEMERAL_OFFSET = 1;
    private static final int NONCE_OFFSET = EPHEMERAL_OFFSET + KeyAgreement.KEY_LENGTH;
    private static final int SEALED_OFFSET = NONCE_OFFSET + Aead.NONCE_LENGTH;

    private final RawKeyPair deviceAgreementKeys;
    private final byte[] devicePublicKey;
    private final String deviceId;
    private final int cacheCapacity;
    /** Ephemeral public key to shared secret, in access order; guarded by itself. */
    private final Map<ByteBuffer, byte[]> sharedSecrets;

    ContentKeyOpener(RawKeyPair deviceAgreementKeys, String deviceId) {
        this(deviceAgreementKeys, deviceId, CACHED_EPHEMERAL_KEYS);
    }

    private ContentKeyOpener(RawKeyPair deviceAgreementKeys, String deviceId, int cacheCapacity) {
        this.deviceAgreementKeys = Objects.requireNonNull(deviceAgreementKeys, "deviceAgreementKeys");
        this.devicePublicKey = deviceAgreementKeys.publicKey();
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.cacheCapacity = cacheCapacity;
        this.sharedSecrets = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
                return size() > ContentKeyOpener.this.cacheCapacity;
            }
        };
    }

    /** For a single open, where a cache would only cost memory. */
    static ContentKeyOpener withoutCache(RawKeyPair deviceAgreementKeys, String deviceId) {
        return new ContentKeyOpener(deviceAgreementKeys, deviceId, 0);
    }

    /** The device whose content keys this opener opens. */
    public String deviceId() {
        return deviceId;
    }

    /**
     * Opens a content key wrapped for the license {@code keyId} on this opener's device.
     *
     * @param wrapped version 1 ({@value ContentKeys#WRAPPED_V1_LENGTH} bytes, no version byte) or
     *     version 2 ({@value ContentKeys#WRAPPED_V2_LENGTH} bytes, first byte 2)
     * @throws CryptoException when the key was not wrapped for this license on this device, is
     *     damaged, has another length, or has an unknown version byte
     */
    public byte[] open(byte[] wrapped, byte[] keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (wrapped == null) {
            throw new CryptoException("no wrapped content key");
        }
        if (wrapped.length == ContentKeys.WRAPPED_V1_LENGTH) {
            return KeyWrap.unwrap(wrapped, deviceAgreementKeys, ContentKeys.context(keyId, deviceId));
        }
        if (wrapped.length == 0 || wrapped[0] != ContentKeys.VERSION_2) {
            throw new CryptoException("not a wrapped content key: " + wrapped.length + " bytes, neither version 1 ("
                    + ContentKeys.WRAPPED_V1_LENGTH + " bytes) nor version 2 (first byte 2)");
        }
        if (wrapped.length != ContentKeys.WRAPPED_V2_LENGTH) {
            throw new CryptoException("a version 2 wrapped content key has " + ContentKeys.WRAPPED_V2_LENGTH + " bytes, not " + wrapped.length);
        }
        byte[] ephemeralPublicKey = Arrays.copyOfRange(wrapped, EPHEMERAL_OFFSET, NONCE_OFFSET);
        byte[] nonce = Arrays.copyOfRange(wrapped, NONCE_OFFSET, SEALED_OFFSET);
        byte[] key = ContentKeys.keyV2(sharedSecret(ephemeralPublicKey), ContentKeys.saltV2(ephemeralPublicKey, devicePublicKey),
                keyId, deviceId);
        return Aead.open(key, nonce, ContentKeys.context(keyId, deviceId), wrapped, SEALED_OFFSET, wrapped.length - SEALED_OFFSET);
    }

    private byte[] sharedSecret(byte[] ephemeralPublicKey) {
        ByteBuffer cacheKey = ByteBuffer.wrap(ephemeralPublicKey);
        byte[] cached;
        synchronized (sharedSecrets) {
            cached = sharedSecrets.get(cacheKey);
        }
        if (cached != null) {
            return cached;
        }
        // two threads may both agree on a new key at once: the same secret twice beats a lock held through X25519
        byte[] computed = KeyAgreement.agree(deviceAgreementKeys, ephemeralPublicKey);
        if (cacheCapacity > 0) {
            synchronized (sharedSecrets) {
                sharedSecrets.put(cacheKey, computed);
            }
        }
        return computed;
    }

    /** How many shared secrets are kept now; for tests of the bound. */
    int cachedSecrets() {
        synchronized (sharedSecrets) {
            return sharedSecrets.size();
        }
    }

    /** Leaves the keys and secrets out. */
    @Override
    public String toString() {
        return "ContentKeyOpener[deviceId=" + deviceId + "]";
    }
}
