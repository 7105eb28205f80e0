package org.licensebackup.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One backed-up license: its encoded bytes, opaque to this format. The license carries its content
 * key only wrapped for the device it is bound to; the backup's header escrows that device's key for
 * the license management service, which re-binds the license at restore.
 *
 * @param license the encoded license, at most {@link #MAX_LICENSE_LENGTH} bytes
 */
public record BackupRecord(byte[] license) {

    /** The longest license a backup holds: 64 KiB. */
    public static final int MAX_LICENSE_LENGTH = 64 * 1024;

    /** @throws IllegalArgumentException when the license is longer than {@link #MAX_LICENSE_LENGTH} */
    public BackupRecord {
        Objects.requireNonNull(license, "license");
        if (license.length > MAX_LICENSE_LENGTH) {
            throw new IllegalArgumentException("license of " + license.length + " bytes exceeds the limit of " + MAX_LICENSE_LENGTH);
        }
        license = license.clone();
    }

    @Override
    public byte[] license() {
        return license.clone();
    }

    /** The license without a copy, for the writer, which only reads it. */
    byte[] licenseView() {
        return license;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupRecord that && Arrays.equals(license, that.license);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(license);
    }

    /** The length only: records end up in logs and assertion messages, where 64 KiB of bytes help no one. */
    @Override
    public String toString() {
        return "BackupRecord[license=" + license.length + " bytes]";
    }
}
