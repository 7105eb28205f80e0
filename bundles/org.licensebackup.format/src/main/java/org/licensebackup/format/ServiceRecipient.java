package org.licensebackup.format;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;

/**
 * The license management service a backup is also made for: its X25519 key, which the file key is
 * wrapped for; its Ed25519 signing key, which lets a device restoring the backup pin the service
 * (absent in version 1 backups, and when the backing-up device did not know it); and the
 * backing-up device's key-agreement private key escrowed for it
 * ({@code org.licensebackup.crypto.DeviceKeyEscrow}), which lets the service re-bind the backup's
 * licenses to another device. Immutable.
 */
public final class ServiceRecipient {

    private final byte[] recipientKey;
    private final byte[] signingKey;
    private final byte[] deviceKeyEscrow;

    private ServiceRecipient(byte[] recipientKey, byte[] signingKey, byte[] deviceKeyEscrow) {
        this.recipientKey = checkedLength(recipientKey, KeyAgreement.KEY_LENGTH, "the service's X25519 key");
        this.signingKey = signingKey == null ? null : checkedLength(signingKey, Signatures.PUBLIC_KEY_LENGTH, "the service's Ed25519 signing key");
        if (deviceKeyEscrow == null) {
            throw new IllegalArgumentException("the device key escrow is missing: a backup's licenses cannot be re-bound without it");
        }
        if (deviceKeyEscrow.length != Format.DEVICE_KEY_ESCROW_LENGTH) {
            throw new IllegalArgumentException("the device key escrow (DeviceKeyEscrow.wrap of a " + KeyAgreement.KEY_LENGTH
                    + "-byte key) has " + Format.DEVICE_KEY_ESCROW_LENGTH + " bytes, not " + deviceKeyEscrow.length);
        }
        this.deviceKeyEscrow = deviceKeyEscrow.clone();
    }

    /**
     * @param recipientKey the service's X25519 public key, 32 bytes
     * @param signingKey the service's Ed25519 public key, 32 bytes
     * @param deviceKeyEscrow {@code DeviceKeyEscrow.wrap} of the backing-up device's agreement keys
     *     for {@code recipientKey} and that device's ID, 80 bytes
     * @throws IllegalArgumentException for a missing key or escrow, or one of the wrong length
     */
    public static ServiceRecipient of(byte[] recipientKey, byte[] signingKey, byte[] deviceKeyEscrow) {
        if (signingKey == null) {
            throw new IllegalArgumentException("the service's Ed25519 signing key is missing; use withoutSigningKey when it is unknown");
        }
        return new ServiceRecipient(recipientKey, signingKey, deviceKeyEscrow);
    }

    /**
     * A service whose signing key the backing-up device does not know: a restoring device cannot
     * pin the service from the backup.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static ServiceRecipient withoutSigningKey(byte[] recipientKey, byte[] deviceKeyEscrow) {
        return new ServiceRecipient(recipientKey, null, deviceKeyEscrow);
    }

    /** The service's X25519 public key, which the backup's file key is wrapped for. */
    public byte[] recipientKey() {
        return recipientKey.clone();
    }

    /** The service's Ed25519 public key, when the backing-up device knew it. */
    public Optional<byte[]> signingKey() {
        return Optional.ofNullable(signingKey).map(byte[]::clone);
    }

    /** The backing-up device's key-agreement private key, wrapped for the service alone; never printed. */
    public byte[] deviceKeyEscrow() {
        return deviceKeyEscrow.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceRecipient that
                && Arrays.equals(recipientKey, that.recipientKey)
                && Arrays.equals(signingKey, that.signingKey)
                && Arrays.equals(deviceKeyEscrow, that.deviceKeyEscrow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(recipientKey), Arrays.hashCode(signingKey), Arrays.hashCode(deviceKeyEscrow));
    }

    /** The escrow by its length only: it is a wrapped private key, and headers end up in logs. */
    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "ServiceRecipient[recipientKey=" + hex.formatHex(recipientKey)
                + ", signingKey=" + (signingKey == null ? "unknown" : hex.formatHex(signingKey))
                + ", deviceKeyEscrow=" + deviceKeyEscrow.length + " bytes]";
    }

    private static byte[] checkedLength(byte[] key, int length, String what) {
        if (key == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (key.length != length) {
            throw new IllegalArgumentException(what + " has " + length + " bytes, not " + key.length);
        }
        return key.clone();
    }
}
