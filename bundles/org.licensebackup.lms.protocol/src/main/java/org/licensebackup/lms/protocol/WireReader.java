package org.licensebackup.lms.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a body that {@link WireWriter} wrote. Every length is checked against its limit and against
 * the bytes left before anything is allocated for it; anything else fails with
 * {@link ErrorCode#MALFORMED_BODY} (or {@link ErrorCode#TOO_LARGE} for a count over its limit).
 */
public final class WireReader {

    private final byte[] bytes;
    private int position;

    public WireReader(byte[] bytes) {
        if (bytes.length > Limits.MAX_BODY_BYTES) {
            throw new ProtocolException(ErrorCode.TOO_LARGE,
                    "a body of " + bytes.length + " bytes; at most " + Limits.MAX_BODY_BYTES);
        }
        this.bytes = bytes;
    }

    public int u8(String field) {
        need(1, field);
        return bytes[position++] & 0xFF;
    }

    public int u16(String field) {
        need(2, field);
        int value = (bytes[position] & 0xFF) << 8 | bytes[position + 1] & 0xFF;
        position += 2;
        return value;
    }

    public long u32(String field) {
        need(4, field);
        long value = (long) (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
                | (bytes[position + 2] & 0xFF) << 8 | bytes[position + 3] & 0xFF;
        position += 4;
        return value;
    }

    /** A count of items, each at least {@code minItemBytes} long, at most {@code max}. */
    public int count(String field, int max, int minItemBytes) {
        long count = u32(field);
        if (count > max) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, field + ": " + count + " items; at most " + max);
        }
        if (count * minItemBytes > remaining()) {
            throw malformed(field + ": " + count + " items cannot fit in the " + remaining() + " bytes left");
        }
        return (int) count;
    }

    public byte[] fixed(int length, String field) {
        need(length, field);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    public byte[] blob(String field) {
        int length = u16(field);
        if (length > Limits.MAX_BLOB_BYTES) {
            throw malformed(field + ": " + length + " bytes; at most " + Limits.MAX_BLOB_BYTES);
        }
        return fixed(length, field);
    }

    public byte[] longBlob(String field, int maxLength) {
        long length = u32(field);
        if (length > maxLength) {
            throw malformed(field + ": " + length + " bytes; at most " + maxLength);
        }
        return fixed((int) length, field);
    }

    public String string(String field) {
        int length = u16(field);
        if (length > Limits.MAX_STRING_BYTES) {
            throw malformed(field + ": " + length + " bytes; at most " + Limits.MAX_STRING_BYTES);
        }
        need(length, field);
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, position, length))
                    .toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw malformed(field + " is not UTF-8");
        }
    }

    public int remaining() {
        return bytes.length - position;
    }

    /** Refuses trailing bytes: a message is exactly its fields. */
    public void end() {
        if (remaining() != 0) {
            throw malformed(remaining() + " bytes after the message's last field");
        }
    }

    private void need(int length, String field) {
        if (length > remaining()) {
            throw malformed(field + ": needs " + length + " bytes, " + remaining() + " left");
        }
    }

    static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED_BODY, message);
    }
}
