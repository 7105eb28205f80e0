package org.licensebackup.device;

import org.licensebackup.crypto.DeviceIds;
import org.osgi.annotation.versioning.ProviderType;

/**
 * This device: an ID, an X25519 key that content keys are wrapped for, and an Ed25519 key that signs
 * its backups. The private keys never leave the implementation.
 */
@ProviderType
public interface DeviceIdentity {

    /** Bytes of SHA-256 over the public keys that make a device ID: 128 bits, as a UUID. */
    int DEVICE_ID_BYTES = DeviceIds.ID_BYTES;

    /**
     * The ID of the device with these public keys: base64url (no padding) of the first 16 bytes of
     * SHA-256(signing public key | agreement public key), the rule of {@link DeviceIds#of}, which a
     * backup reader also checks a backup's header with. Public so that a license management server
     * can check the ID a device claims against the keys it presents.
     */
    static String deviceIdOf(byte[] signingPublicKey, byte[] agreementPublicKey) {
        return DeviceIds.of(signingPublicKey, agreementPublicKey);
    }

    /** A stable ID derived from the device's public keys. */
    String deviceId();

    /** The X25519 public key that content keys bound to this device are wrapped for. */
    byte[] agreementPublicKey();

    /** The Ed25519 public key that checks this device's signatures. */
    byte[] signingPublicKey();

    /** Signs {@code message} with this device's Ed25519 key. */
    byte[] sign(byte[] message);

    /**
     * This device's key-agreement key, wrapped for a license management service with
     * {@link org.licensebackup.crypto.DeviceKeyEscrow#wrap}: a backup carries it once, so that the
     * service can re-bind the backed-up licenses to a new device without a public-key operation per
     * license at backup time.
     *
     * @param serviceKey the service's X25519 public key
     */
    byte[] escrowAgreementKey(byte[] serviceKey);

    /**
     * Unwraps a content key bound to this device, in either form of
     * {@link org.licensebackup.crypto.ContentKeys}.
     *
     * @param keyId the license's key ID (16 bytes)
     * @throws org.licensebackup.crypto.CryptoException when the key was not wrapped for this
     *     license on this device
     */
    byte[] unwrapContentKey(byte[] wrappedContentKey, byte[] keyId);

    /**
     * Unwraps a backup's file key that this device wrapped for its own agreement key
     * ({@link org.licensebackup.crypto.FileKeyWrap}), so that the device can open its own backup
     * without the license management service. A backup reader calls it with the bytes and context
     * the backup format gives.
     *
     * @param context the context the key was wrapped in, which binds it to the backup's header
     * @return the 32-byte file key
     * @throws org.licensebackup.crypto.CryptoException when the key was not wrapped for this
     *     device's agreement key in this context
     * @since 1.1
     */
    byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context);
}
