package org.licensebackup.license;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The binary form of licenses, the same in every store and every backup. All integers are
 * big-endian; a string is a 2-byte length and that many bytes of UTF-8.
 *
 * <pre>
 * license  = u8 version(1) | u32 grantLength | grant | signerKey[32] | signature[64] | usage
 * grant    = u8 version(1) | keyId[16] | str issuer | str contentId | str title | rights
 *            | str deviceId | u16 keyLength | wrappedContentKey | instant issuedAt
 * rights   = u8 flags (1 backup allowed, 2 notBefore, 4 notAfter, 8 validAfterFirstUse,
 *            16 playCount, 32 copyCount), then each field whose flag is set, in that order:
 *            instant, instant, duration, u32, u32
 * usage    = u32 playsUsed | u32 copiesUsed | u8 hasFirstUse | instant firstUsedAt (if set)
 * instant  = i64 epochSecond | u32 nanos (0..999,999,999)
 * duration = i64 seconds (not negative) | u32 nanos (0..999,999,999)
 * </pre>
 *
 * Decoding never allocates more than the bytes it is given and fails with
 * {@link MalformedLicenseException} on anything else.
 */
public final class LicenseCodec {

    public static final int VERSION = 1;
    public static final int SIGNER_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;
    /** The longest string field, in bytes of UTF-8. */
    public static final int MAX_STRING_BYTES = 4096;
    /** The longest wrapped content key. */
    public static final int MAX_WRAPPED_KEY_BYTES = 1024;
    /** The longest encoded license: an upper bound of the fields' limits. */
    public static final int MAX_LICENSE_BYTES = 1 + 4 + (1 + 16 + 5 * (2 + MAX_STRING_BYTES) + 1 + 12 * 2 + 12 + 8
            + 2 + MAX_WRAPPED_KEY_BYTES + 12) + SIGNER_KEY_LENGTH + SIGNATURE_LENGTH + 4 + 4 + 1 + 12;

    private static final int BACKUP_ALLOWED = 1;
    private static final int HAS_NOT_BEFORE = 2;
    private static final int HAS_NOT_AFTER = 4;
    private static final int HAS_VALID_AFTER_FIRST_USE = 8;
    private static final int HAS_PLAY_COUNT = 16;
    private static final int HAS_COPY_COUNT = 32;
    private static final int KNOWN_FLAGS = 63;

    private LicenseCodec() {
    }

    /** The bytes an issuer signs. */
    public static byte[] encodeGrant(LicenseGrant grant) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.write(grant.keyId().bytes());
            writeString(out, grant.issuer());
            writeString(out, grant.contentId());
            writeString(out, grant.title());
            writeRights(out, grant.rights());
            writeString(out, grant.deviceId());
            byte[] wrapped = grant.wrappedContentKey();
            if (wrapped.length > MAX_WRAPPED_KEY_BYTES) {
                throw new MalformedLicenseException("a wrapped content key has at most " + MAX_WRAPPED_KEY_BYTES + " bytes");
            }
            out.writeShort(wrapped.length);
            out.write(wrapped);
            writeInstant(out, grant.issuedAt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] encode(License license) {
        byte[] decodedFrom = license.encodedOrNull();
        if (decodedFrom != null) {
            // the decoder takes only this encoding, so the license's bytes are these
            return decodedFrom.clone();
        }
        byte[] grant = license.signedBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(grant.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(grant.length);
            out.write(grant);
            out.write(license.signerKey());
            out.write(license.signature());
            Usage usage = license.usage();
            out.writeInt(usage.playsUsed());
            out.writeInt(usage.copiesUsed());
            out.writeBoolean(usage.firstUsedAt() != null);
            if (usage.firstUsedAt() != null) {
                writeInstant(out, usage.firstUsedAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws MalformedLicenseException unless {@code encoded} is exactly one encoded license */
    public static License decode(byte[] encoded) {
        if (encoded.length > MAX_LICENSE_BYTES) {
            throw new MalformedLicenseException("a license has at most " + MAX_LICENSE_BYTES + " bytes, not " + encoded.length);
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(encoded);
            requireVersion(in.get());
            int grantLength = in.getInt();
            if (grantLength < 0 || grantLength > in.remaining()) {
                throw new MalformedLicenseException("grant length " + grantLength + " runs past the license");
            }
            byte[] grantBytes = new byte[grantLength];
            in.get(grantBytes);
            LicenseGrant grant = decodeGrant(grantBytes);
            byte[] signerKey = new byte[SIGNER_KEY_LENGTH];
            in.get(signerKey);
            byte[] signature = new byte[SIGNATURE_LENGTH];
            in.get(signature);
            int playsUsed = in.getInt();
            int copiesUsed = in.getInt();
            Instant firstUse = readFlag(in) ? readInstant(in) : null;
            requireEnd(in);
            return License.decoded(encoded.clone(), grantBytes, grant, signerKey, signature,
                    new Usage(playsUsed, copiesUsed, firstUse));
        } catch (BufferUnderflowException e) {
            throw new MalformedLicenseException("license truncated");
        }
    }

    /** @throws MalformedLicenseException unless {@code encoded} is exactly one encoded grant */
    public static LicenseGrant decodeGrant(byte[] encoded) {
        try {
            ByteBuffer in = ByteBuffer.wrap(encoded);
            requireVersion(in.get());
            byte[] keyId = new byte[KeyId.LENGTH];
            in.get(keyId);
            String issuer = readString(in);
            String contentId = readString(in);
            String title = readString(in);
            Rights rights = readRights(in);
            String deviceId = readString(in);
            int keyLength = Short.toUnsignedInt(in.getShort());
            if (keyLength > MAX_WRAPPED_KEY_BYTES || keyLength > in.remaining()) {
                throw new MalformedLicenseException("wrapped key length " + keyLength + " out of bounds");
            }
            byte[] wrapped = new byte[keyLength];
            in.get(wrapped);
            Instant issuedAt = readInstant(in);
            requireEnd(in);
            return new LicenseGrant(KeyId.of(keyId), issuer, contentId, title, rights, deviceId, wrapped, issuedAt);
        } catch (BufferUnderflowException e) {
            throw new MalformedLicenseException("grant truncated");
        }
    }

    private static void writeRights(DataOutputStream out, Rights rights) throws IOException {
        int flags = (rights.backupAllowed() ? BACKUP_ALLOWED : 0)
                | (rights.notBefore() != null ? HAS_NOT_BEFORE : 0)
                | (rights.notAfter() != null ? HAS_NOT_AFTER : 0)
                | (rights.validAfterFirstUse() != null ? HAS_VALID_AFTER_FIRST_USE : 0)
                | (rights.playCount() != null ? HAS_PLAY_COUNT : 0)
                | (rights.copyCount() != null ? HAS_COPY_COUNT : 0);
        out.writeByte(flags);
        if (rights.notBefore() != null) {
            writeInstant(out, rights.notBefore());
        }
        if (rights.notAfter() != null) {
            writeInstant(out, rights.notAfter());
        }
        if (rights.validAfterFirstUse() != null) {
            out.writeLong(rights.validAfterFirstUse().getSeconds());
            out.writeInt(rights.validAfterFirstUse().getNano());
        }
        if (rights.playCount() != null) {
            out.writeInt(rights.playCount());
        }
        if (rights.copyCount() != null) {
            out.writeInt(rights.copyCount());
        }
    }

    private static Rights readRights(ByteBuffer in) {
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MalformedLicenseException("unknown rights flags " + flags);
        }
        Instant notBefore = (flags & HAS_NOT_BEFORE) != 0 ? readInstant(in) : null;
        Instant notAfter = (flags & HAS_NOT_AFTER) != 0 ? readInstant(in) : null;
        Duration afterFirstUse = (flags & HAS_VALID_AFTER_FIRST_USE) != 0 ? readDuration(in) : null;
        Integer plays = (flags & HAS_PLAY_COUNT) != 0 ? in.getInt() : null;
        Integer copies = (flags & HAS_COPY_COUNT) != 0 ? in.getInt() : null;
        return new Rights((flags & BACKUP_ALLOWED) != 0, notBefore, notAfter, afterFirstUse, plays, copies);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new MalformedLicenseException("a string field has at most " + MAX_STRING_BYTES + " bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > MAX_STRING_BYTES || length > in.remaining()) {
            throw new MalformedLicenseException("string length " + length + " out of bounds");
        }
        ByteBuffer slice = in.slice().limit(length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedLicenseException("a string field is not UTF-8");
        }
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(ByteBuffer in) {
        long seconds = in.getLong();
        int nanos = in.getInt();
        if (nanos < 0 || nanos > 999_999_999 || seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw new MalformedLicenseException("instant out of range");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Duration readDuration(ByteBuffer in) {
        long seconds = in.getLong();
        int nanos = in.getInt();
        if (seconds < 0 || nanos < 0 || nanos > 999_999_999) {
            throw new MalformedLicenseException("duration out of range");
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    private static boolean readFlag(ByteBuffer in) {
        byte flag = in.get();
        if (flag != 0 && flag != 1) {
            throw new MalformedLicenseException("a flag is 0 or 1, not " + flag);
        }
        return flag == 1;
    }

    private static void requireVersion(byte version) {
        if (version != VERSION) {
            throw new MalformedLicenseException("unknown license encoding version " + version);
        }
    }

    private static void requireEnd(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new MalformedLicenseException(in.remaining() + " bytes after the end");
        }
    }
}
