package org.licensebackup.lms.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a body: big-endian integers, byte fields prefixed by their length, strings as UTF-8 bytes
 * prefixed by theirs. Writing checks the same limits that reading does, so an end never sends what
 * the other must refuse.
 */
public final class WireWriter {

    private final ByteArrayOutputStream out;

    public WireWriter(int expectedSize) {
        out = new ByteArrayOutputStream(Math.max(16, expectedSize));
    }

    public WireWriter u8(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("not a u8: " + value);
        }
        out.write(value);
        return this;
    }

    public WireWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("not a u16: " + value);
        }
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public WireWriter u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a u32: " + value);
        }
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
        return this;
    }

    /** Exactly {@code bytes}, without a length: for fixed-length fields such as keys. */
    public WireWriter fixed(byte[] bytes, int length) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("a field of " + length + " bytes, not " + bytes.length);
        }
        out.writeBytes(bytes);
        return this;
    }

    /** {@code u16 length | bytes}, at most {@link Limits#MAX_BLOB_BYTES}. */
    public WireWriter blob(byte[] bytes) {
        if (bytes.length > Limits.MAX_BLOB_BYTES) {
            throw new IllegalArgumentException("a field of " + bytes.length + " bytes; at most " + Limits.MAX_BLOB_BYTES);
        }
        u16(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    /** {@code u32 length | bytes}, at most {@code maxLength}. */
    public WireWriter longBlob(byte[] bytes, int maxLength) {
        if (bytes.length > maxLength) {
            throw new IllegalArgumentException("a field of " + bytes.length + " bytes; at most " + maxLength);
        }
        u32(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    /** {@code u16 length | UTF-8}, at most {@link Limits#MAX_STRING_BYTES}. */
    public WireWriter string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > Limits.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + utf8.length + " bytes; at most " + Limits.MAX_STRING_BYTES);
        }
        u16(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    public byte[] toBytes() {
        if (out.size() > Limits.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a body of " + out.size() + " bytes; at most " + Limits.MAX_BODY_BYTES);
        }
        return out.toByteArray();
    }
}
