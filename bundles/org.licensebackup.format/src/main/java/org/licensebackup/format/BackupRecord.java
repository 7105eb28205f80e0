package org.licensebackup.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One backed-up license: its encoded bytes (opaque to this format) and its content key in the clear,
 * which is why backups are encrypted.
 *
 * @param license the encoded license, at most {@link #MAX_LICENSE_LENGTH} bytes
 * @param contentKey the license's content key, {@link #CONTENT_KEY_LENGTH} bytes; never printed
 */
public record BackupRecord(byte[] license, byte[] contentKey) {

    /** The longest license a backup holds: 64 KiB. */
    public static final int MAX_LICENSE_LENGTH = 64 * 1024;

    /** An AES-128 content key. */
    public static final int CONTENT_KEY_LENGTH = 16;

    /**
     * @throws IllegalArgumentException when the license is longer than {@link #MAX_LICENSE_LENGTH}
     *     or the content key is not {@link #CONTENT_KEY_LENGTH} bytes
     */
    public BackupRecord {
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(contentKey, "contentKey");
        if (license.length > MAX_LICENSE_LENGTH) {
            throw new IllegalArgumentException("license of " + license.length + " bytes exceeds the limit of " + MAX_LICENSE_LENGTH);
        }
        if (contentKey.length != CONTENT_KEY_LENGTH) {
            throw new IllegalArgumentException("a content key has " + CONTENT_KEY_LENGTH + " bytes, not " + contentKey.length);
        }
        license = license.clone();
        contentKey = contentKey.clone();
    }

    @Override
    public byte[] license() {
        return license.clone();
    }

    @Override
    public byte[] contentKey() {
        return contentKey.clone();
    }

    /** The license without a copy, for the writer, which only reads it. */
    byte[] licenseView() {
        return license;
    }

    /** The content key without a copy, for the writer, which only reads it. */
    byte[] contentKeyView() {
        return contentKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupRecord that
                && Arrays.equals(license, that.license)
                && Arrays.equals(contentKey, that.contentKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(license) + Arrays.hashCode(contentKey);
    }

    /** Leaves the content key out: records end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "BackupRecord[license=" + license.length + " bytes, contentKey=(hidden)]";
    }
}
