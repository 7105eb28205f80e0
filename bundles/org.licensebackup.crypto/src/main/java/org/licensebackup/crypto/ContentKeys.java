package org.licensebackup.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Binds a content key to one device: the key is wrapped ({@link KeyWrap}) for the device's X25519
 * key, in a context naming the license's key ID and the device, so a wrapped key moved to another
 * license or device does not open. Issuers wrap, devices unwrap, and the license management
 * service wraps again when it re-binds a license to a new device.
 */
public final class ContentKeys {

    /** A content key: an AES-128 key, as in Windows Media DRM and CENC. */
    public static final int CONTENT_KEY_LENGTH = 16;

    private static final byte[] LABEL = "org.licensebackup content key v1".getBytes(StandardCharsets.US_ASCII);

    private ContentKeys() {
    }

    public static byte[] wrap(byte[] contentKey, byte[] keyId, String deviceId, byte[] deviceAgreementKey) {
        return KeyWrap.wrap(contentKey, deviceAgreementKey, context(keyId, deviceId));
    }

    /** @throws CryptoException when the key was not wrapped for this license on this device */
    public static byte[] unwrap(byte[] wrapped, byte[] keyId, String deviceId, RawKeyPair deviceAgreementKeys) {
        return KeyWrap.unwrap(wrapped, deviceAgreementKeys, context(keyId, deviceId));
    }

    private static byte[] context(byte[] keyId, String deviceId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.write(0);
        out.writeBytes(keyId);
        out.writeBytes(deviceId.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
