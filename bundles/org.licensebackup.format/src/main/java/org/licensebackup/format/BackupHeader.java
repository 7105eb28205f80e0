package org.licensebackup.format;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backup says about itself in the part of its header the device signed when it started the
 * backup; {@link BackupReader#open(java.nio.file.Path)} checks that signature before it hands the
 * header out. The signature proves only that the holder of {@link #deviceSigningKey()} wrote these
 * fields: whether that device is trusted is the caller's decision. How many records the backup
 * holds is known only at its end, and authenticated only with the file key:
 * {@link BackupReader#recordCount()}.
 */
public final class BackupHeader {

    private final int formatVersion;
    private final String deviceId;
    private final byte[] deviceSigningKey;
    private final byte[] deviceAgreementKey;
    private final ServiceRecipient service;
    private final Instant createdAt;

    BackupHeader(int formatVersion, String deviceId, byte[] deviceSigningKey, byte[] deviceAgreementKey, ServiceRecipient service,
            Instant createdAt) {
        this.formatVersion = formatVersion;
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.deviceSigningKey = Objects.requireNonNull(deviceSigningKey, "deviceSigningKey").clone();
        this.deviceAgreementKey = deviceAgreementKey == null ? null : deviceAgreementKey.clone();
        this.service = service;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The file format's version: 1 or 2. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The ID of the device that made the backup. */
    public String deviceId() {
        return deviceId;
    }

    /** That device's Ed25519 public key, which signed the backup. */
    public byte[] deviceSigningKey() {
        return deviceSigningKey.clone();
    }

    /**
     * That device's X25519 public key, which the file key is also wrapped for, so that this device
     * alone can open the backup without a service ({@link BackupReader#openAsDevice}); absent in
     * version 1, which has no such wrap.
     */
    public Optional<byte[]> deviceAgreementKey() {
        return Optional.ofNullable(deviceAgreementKey).map(byte[]::clone);
    }

    /**
     * The license management service the backup is made for, which can open it
     * ({@link BackupReader#openThroughService}) and re-bind its licenses to another device; present
     * in every version 1 backup, absent from a version 2 backup made by a device without a service,
     * which only that device can open.
     */
    public Optional<ServiceRecipient> service() {
        return Optional.ofNullable(service);
    }

    /** When the backup was made, as its writer said. */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupHeader that
                && formatVersion == that.formatVersion
                && deviceId.equals(that.deviceId)
                && createdAt.equals(that.createdAt)
                && Arrays.equals(deviceSigningKey, that.deviceSigningKey)
                && Arrays.equals(deviceAgreementKey, that.deviceAgreementKey)
                && Objects.equals(service, that.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, deviceId, Arrays.hashCode(deviceSigningKey), Arrays.hashCode(deviceAgreementKey),
                service, createdAt);
    }

    /** The service's escrow by its length only (see {@link ServiceRecipient#toString()}). */
    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "BackupHeader[formatVersion=" + formatVersion + ", deviceId=" + deviceId
                + ", deviceSigningKey=" + hex.formatHex(deviceSigningKey)
                + ", deviceAgreementKey=" + (deviceAgreementKey == null ? "none" : hex.formatHex(deviceAgreementKey))
                + ", service=" + (service == null ? "none" : service) + ", createdAt=" + createdAt + "]";
    }
}
