package org.licensebackup.license;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** A license's key ID: 16 bytes, written in base64 as Windows Media DRM shows KIDs. */
public final class KeyId implements Comparable<KeyId> {

    public static final int LENGTH = 16;

    private final byte[] bytes;

    private KeyId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws MalformedLicenseException unless {@code bytes} is 16 bytes long */
    public static KeyId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new MalformedLicenseException("a key ID has 16 bytes, not " + bytes.length);
        }
        return new KeyId(bytes.clone());
    }

    /** @throws MalformedLicenseException unless {@code base64} is 16 bytes in base64 */
    public static KeyId parse(String base64) {
        Objects.requireNonNull(base64, "base64");
        try {
            return of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new MalformedLicenseException("not a base64 key ID: " + base64);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyId k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(KeyId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** The base64 form, as Windows Media DRM shows key IDs. */
    @Override
    public String toString() {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
