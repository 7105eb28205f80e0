package org.licensebackup.lms.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;

/**
 * How a backup's file key, which the server unwraps, travels to the device: wrapped for the
 * device's X25519 key, never in the clear, so plain HTTP leaks nothing. The wrapping is a content
 * key wrapping ({@link ContentKeys}) under a transport ID derived from the session and the file
 * key's context, because {@link DeviceIdentity} unwraps only that kind and never hands out its
 * private key; the ID ties the wrapped key to this session and this backup.
 *
 * <pre>transportId = first 16 bytes of SHA-256("org.licensebackup lms file key v1" | 0x00 | sessionId | 0x00 | context)</pre>
 */
public final class FileKeyTransport {

    private static final byte[] LABEL = "org.licensebackup lms file key v1".getBytes(StandardCharsets.US_ASCII);

    private FileKeyTransport() {
    }

    /** On the server: wraps {@code fileKey} for the session's device. */
    public static byte[] wrapForDevice(byte[] fileKey, String sessionId, byte[] context, String deviceId, byte[] deviceAgreementKey) {
        return ContentKeys.wrap(fileKey, transportId(sessionId, context), deviceId, deviceAgreementKey);
    }

    /**
     * On the device: opens what {@link #wrapForDevice} made.
     *
     * @throws org.licensebackup.crypto.CryptoException when it was not made for this device, session and context
     */
    public static byte[] unwrapOnDevice(byte[] wrapped, String sessionId, byte[] context, DeviceIdentity device) {
        return device.unwrapContentKey(wrapped, transportId(sessionId, context));
    }

    static byte[] transportId(String sessionId, byte[] context) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(LABEL);
            sha256.update((byte) 0);
            sha256.update(sessionId.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(context);
            return Arrays.copyOf(sha256.digest(), KeyId.LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
