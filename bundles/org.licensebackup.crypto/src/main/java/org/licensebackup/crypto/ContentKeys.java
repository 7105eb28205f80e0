package org.licensebackup.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Binds a content key to one device: the key is wrapped for the device's X25519 key, in a context
 * naming the license's key ID and the device, so a wrapped key moved to another license or device
 * does not open. Issuers wrap, devices unwrap, and the license management service wraps again when
 * it re-binds a license to a new device.
 *
 * <p>Two wire forms exist. Version 1 (64 bytes) is {@link KeyWrap}: one ephemeral X25519 key per
 * content key, so one X25519 agreement per license to wrap and to open. Version 2 (77 bytes,
 * {@link ContentKeyWrapper}) derives each license's key from the key ID and device as well, so one
 * ephemeral key serves every license wrapped for one device and a million licenses cost a handful
 * of agreements: {@code 0x02 | E[32] | nonce[12] | AES-256-GCM(K, nonce, aad = context, content key)[32]}
 * with {@code K = HKDF-SHA256(X25519(e, D), salt = E | D, info = "org.licensebackup content key v2" | 0x00 | keyId | UTF-8(deviceId))}
 * and {@code context = "org.licensebackup content key v1" | 0x00 | keyId | UTF-8(deviceId)}.
 * {@link ContentKeyOpener} opens both.
 */
public final class ContentKeys {

    /** A content key: an AES-128 key, as in Windows Media DRM and CENC. */
    public static final int CONTENT_KEY_LENGTH = 16;

    /** The length of a version 1 wrapped content key, which has no version byte. */
    public static final int WRAPPED_V1_LENGTH = CONTENT_KEY_LENGTH + KeyWrap.OVERHEAD;

    /** The first byte of a version 2 wrapped content key. */
    public static final byte VERSION_2 = 0x02;

    /** The length of a version 2 wrapped content key. */
    public static final int WRAPPED_V2_LENGTH = 1 + KeyAgreement.KEY_LENGTH + Aead.NONCE_LENGTH + CONTENT_KEY_LENGTH + Aead.TAG_LENGTH;

    private static final byte[] CONTEXT_LABEL = "org.licensebackup content key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_LABEL_V2 = "org.licensebackup content key v2".getBytes(StandardCharsets.US_ASCII);

    private ContentKeys() {
    }

    /**
     * A wrapper for one device, holding one fresh ephemeral key whose agreement with the device's
     * key is computed here, once: its {@link ContentKeyWrapper#wrap} then costs no public-key operation.
     *
     * @throws CryptoException when {@code deviceAgreementPublicKey} is not a usable X25519 public key
     */
    public static ContentKeyWrapper wrapper(String deviceId, byte[] deviceAgreementPublicKey) {
        return new ContentKeyWrapper(deviceId, deviceAgreementPublicKey);
    }

    /** An opener of content keys bound to the device that holds {@code deviceAgreementKeys}, for both wire forms. */
    public static ContentKeyOpener opener(RawKeyPair deviceAgreementKeys, String deviceId) {
        return new ContentKeyOpener(deviceAgreementKeys, deviceId);
    }

    /**
     * Wraps one content key in the version 2 form with an ephemeral key of its own; to wrap many for
     * one device, use one {@link #wrapper}.
     */
    public static byte[] wrap(byte[] contentKey, byte[] keyId, String deviceId, byte[] deviceAgreementKey) {
        return wrapper(deviceId, deviceAgreementKey).wrap(contentKey, keyId);
    }

    /**
     * Opens one wrapped content key of either form; to open many, use one {@link #opener}, which
     * remembers the agreements it computed.
     *
     * @throws CryptoException when the key was not wrapped for this license on this device, is
     *     damaged, or is of an unknown form
     */
    public static byte[] unwrap(byte[] wrapped, byte[] keyId, String deviceId, RawKeyPair deviceAgreementKeys) {
        return ContentKeyOpener.withoutCache(deviceAgreementKeys, deviceId).open(wrapped, keyId);
    }

    /** The associated data of both forms, and version 1's wrap context. */
    static byte[] context(byte[] keyId, String deviceId) {
        return labelled(CONTEXT_LABEL, keyId, deviceId);
    }

    /** Version 2's HKDF info: the same shape as the context, under its own label. */
    static byte[] keyInfoV2(byte[] keyId, String deviceId) {
        return labelled(KEY_LABEL_V2, keyId, deviceId);
    }

    /** The key a version 2 wrap of {@code keyId} for {@code deviceId} is sealed under. */
    static byte[] keyV2(byte[] sharedSecret, byte[] salt, byte[] keyId, String deviceId) {
        return KeyAgreement.hkdf(sharedSecret, salt, keyInfoV2(keyId, deviceId), Aead.KEY_LENGTH);
    }

    /** E | D: the ephemeral public key, then the device's. */
    static byte[] saltV2(byte[] ephemeralPublicKey, byte[] devicePublicKey) {
        byte[] salt = new byte[2 * KeyAgreement.KEY_LENGTH];
        System.arraycopy(ephemeralPublicKey, 0, salt, 0, KeyAgreement.KEY_LENGTH);
        System.arraycopy(devicePublicKey, 0, salt, KeyAgreement.KEY_LENGTH, KeyAgreement.KEY_LENGTH);
        return salt;
    }

    private static byte[] labelled(byte[] label, byte[] keyId, String deviceId) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(deviceId, "deviceId");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(label);
        out.write(0);
        out.writeBytes(keyId);
        out.writeBytes(deviceId.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
