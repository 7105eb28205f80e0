package org.licensebackup.lms.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.device.DeviceIdentity;

/**
 * How a backup's file key, which the server unwraps, travels to the device: wrapped for the
 * device's X25519 key, never in the clear, so plain HTTP leaks nothing. It is a file key wrapping
 * ({@link FileKeyWrap}, HPKE) in a transport context that names the session and the backup's own
 * context, because {@link DeviceIdentity} opens file keys wrapped for its key and never hands out
 * its private key; the context ties the wrapped key to this session and this backup.
 *
 * <pre>transportContext = "org.licensebackup lms file key v2" | 0x00 | UTF-8(sessionId) | 0x00 | context</pre>
 *
 * (Version 1 wrapped the file key as a content key; content keys are 16 bytes since crypto 1.1,
 * so a 32-byte file key no longer fits that form.)
 */
public final class FileKeyTransport {

    private static final byte[] LABEL = "org.licensebackup lms file key v2".getBytes(StandardCharsets.US_ASCII);

    private FileKeyTransport() {
    }

    /**
     * On the server: wraps {@code fileKey} for the session's device.
     *
     * @throws org.licensebackup.crypto.CryptoException when {@code fileKey} is not 32 bytes or the
     *     device's key is not a usable X25519 public key
     */
    public static byte[] wrapForDevice(byte[] fileKey, String sessionId, byte[] context, byte[] deviceAgreementKey) {
        return FileKeyWrap.wrap(fileKey, deviceAgreementKey, transportContext(sessionId, context));
    }

    /**
     * On the device: opens what {@link #wrapForDevice} made.
     *
     * @throws org.licensebackup.crypto.CryptoException when it was not made for this device, session and context
     */
    public static byte[] unwrapOnDevice(byte[] wrapped, String sessionId, byte[] context, DeviceIdentity device) {
        return device.unwrapFileKey(wrapped, transportContext(sessionId, context));
    }

    static byte[] transportContext(String sessionId, byte[] context) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(context, "context");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.write(0);
        out.writeBytes(sessionId.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(context);
        return out.toByteArray();
    }
}
