package org.licensebackup.format;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a backup says about itself, authenticated before it is handed out.
 *
 * @param formatVersion the file format's version
 * @param deviceId the ID of the device that made the backup
 * @param deviceSigningKey that device's Ed25519 public key, which signed the backup
 * @param recipientKey the X25519 public key of the license management service the backup is for
 * @param createdAt when the backup was made, as its writer said
 * @param recordCount how many records the backup holds
 * @param deviceKeyEscrow that device's key-agreement private key as
 *     {@code org.licensebackup.crypto.DeviceKeyEscrow} wrapped it for the recipient, who alone can
 *     open it, to re-bind the backup's licenses; never printed
 */
public record BackupHeader(int formatVersion, String deviceId, byte[] deviceSigningKey, byte[] recipientKey,
        Instant createdAt, long recordCount, byte[] deviceKeyEscrow) {

    public BackupHeader {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(createdAt, "createdAt");
        deviceSigningKey = Objects.requireNonNull(deviceSigningKey, "deviceSigningKey").clone();
        recipientKey = Objects.requireNonNull(recipientKey, "recipientKey").clone();
        deviceKeyEscrow = Objects.requireNonNull(deviceKeyEscrow, "deviceKeyEscrow").clone();
    }

    @Override
    public byte[] deviceSigningKey() {
        return deviceSigningKey.clone();
    }

    @Override
    public byte[] recipientKey() {
        return recipientKey.clone();
    }

    @Override
    public byte[] deviceKeyEscrow() {
        return deviceKeyEscrow.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupHeader that
                && formatVersion == that.formatVersion
                && recordCount == that.recordCount
                && deviceId.equals(that.deviceId)
                && createdAt.equals(that.createdAt)
                && Arrays.equals(deviceSigningKey, that.deviceSigningKey)
                && Arrays.equals(recipientKey, that.recipientKey)
                && Arrays.equals(deviceKeyEscrow, that.deviceKeyEscrow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, deviceId, Arrays.hashCode(deviceSigningKey), Arrays.hashCode(recipientKey),
                createdAt, recordCount, Arrays.hashCode(deviceKeyEscrow));
    }

    /** The escrow by its length only: it is a wrapped private key, and headers end up in logs. */
    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "BackupHeader[formatVersion=" + formatVersion + ", deviceId=" + deviceId
                + ", deviceSigningKey=" + hex.formatHex(deviceSigningKey) + ", recipientKey=" + hex.formatHex(recipientKey)
                + ", createdAt=" + createdAt + ", recordCount=" + recordCount
                + ", deviceKeyEscrow=" + deviceKeyEscrow.length + " bytes]";
    }
}
