package org.licensebackup.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hands a device's key-agreement key to the license management service, once per backup, as
 * Windows Media DRM's backups did: wrapped ({@link KeyWrap}) for the service's key, so that only
 * the service can open the content keys bound to that device and re-bind them to a new one. A
 * backup then needs no public-key operation per license.
 */
public final class DeviceKeyEscrow {

    private static final byte[] LABEL = "org.licensebackup device key escrow v1".getBytes(StandardCharsets.US_ASCII);

    private DeviceKeyEscrow() {
    }

    public static byte[] wrap(RawKeyPair deviceAgreementKeys, String deviceId, byte[] serviceKey) {
        return KeyWrap.wrap(deviceAgreementKeys.privateKey(), serviceKey, context(deviceId));
    }

    /** @throws CryptoException unless {@code escrow} holds {@code deviceId}'s key, wrapped for {@code service} */
    public static RawKeyPair unwrap(byte[] escrow, String deviceId, RawKeyPair service) {
        return KeyAgreement.fromPrivateKey(KeyWrap.unwrap(escrow, service, context(deviceId)));
    }

    private static byte[] context(String deviceId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.write(0);
        out.writeBytes(deviceId.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
