package org.licensebackup.license;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.licensebackup.crypto.ContentKeyWrapper;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

/**
 * docs/license-encoding.md is enough to read, check and open licenses: {@link SpecLicense}, written
 * from that document alone with the JDK, Bouncy Castle's Ed25519, X25519 and HKDF, and no code of
 * {@link LicenseCodec} or the crypto bundle, decodes licenses the product issued as the codec does,
 * verifies the issuer's signature over the bytes the document says are signed, and opens the content
 * key the product wrapped; the product opens a version 1 wrap made from the document.
 */
class LicenseEncodingSpecTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant ISSUED_AT = Instant.parse("2026-12-06T05:00:00.000000123Z");
    private static final String DEVICE_ID = "device Ünïcödé 東京";

    private final RawKeyPair issuerKeys = Signatures.generate();
    private final byte[] devicePrivateKey = randomBytes(32);
    private final byte[] devicePublicKey = x25519PublicKey(devicePrivateKey);
    private final ContentKeyWrapper wrapper = ContentKeys.wrapper(DEVICE_ID, devicePublicKey);

    /** A license as the product issues one: content key wrapped by the crypto bundle, grant signed over the codec's grant bytes. */
    private record Issued(byte[] encoded, byte[] contentKey) {
    }

    private Issued issue(String issuer, String contentId, String title, Rights rights, Usage usage) {
        KeyId keyId = KeyId.of(randomBytes(KeyId.LENGTH));
        byte[] contentKey = randomBytes(ContentKeys.CONTENT_KEY_LENGTH);
        LicenseGrant grant = new LicenseGrant(keyId, issuer, contentId, title, rights, DEVICE_ID,
                wrapper.wrap(contentKey, keyId.bytes()), ISSUED_AT);
        byte[] signature = Signatures.sign(issuerKeys, LicenseCodec.encodeGrant(grant));
        return new Issued(LicenseCodec.encode(License.of(grant, issuerKeys.publicKey(), signature, usage)), contentKey);
    }

    /** Every combination of rights, with and without a first use, and strings from empty to the longest allowed. */
    private List<Issued> productLicenses() {
        List<Issued> licenses = new ArrayList<>();
        String longest = "é".repeat(LicenseCodec.MAX_STRING_BYTES / 2);
        for (int flags = 0; flags <= SampleLicenses.EVERY_FLAG; flags++) {
            Usage usage = flags % 2 == 0 ? Usage.NONE
                    : new Usage(flags, flags / 3, Instant.parse("2026-01-01T00:00:00Z").plusNanos(flags));
            String title = switch (flags % 3) {
                case 0 -> "";
                case 1 -> "Ünïcödé Söng — 東京物語";
                default -> longest;
            };
            licenses.add(issue("issuer.example", "urn:content:" + flags, title, SampleLicenses.rights(flags), usage));
        }
        licenses.add(issue("", "", "", new Rights(true, Instant.MIN, Instant.MAX, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                Integer.MAX_VALUE, 0), new Usage(Integer.MAX_VALUE, Integer.MAX_VALUE, Instant.MIN)));
        return licenses;
    }

    @Test
    void theSpecReaderDecodesEveryLicenseTheProductEncodedAsTheCodecDoes() {
        for (Issued issued : productLicenses()) {
            SpecLicense spec = SpecLicense.read(issued.encoded());
            License product = LicenseCodec.decode(issued.encoded());

            LicenseGrant grant = product.grant();
            assertArrayEquals(grant.keyId().bytes(), spec.keyId());
            assertEquals(grant.issuer(), spec.issuer());
            assertEquals(grant.contentId(), spec.contentId());
            assertEquals(grant.title(), spec.title());
            assertEquals(grant.rights(), new Rights(spec.backupAllowed(), spec.notBefore(), spec.notAfter(),
                    spec.validAfterFirstUse(), spec.playCount(), spec.copyCount()));
            assertEquals(grant.deviceId(), spec.deviceId());
            assertArrayEquals(grant.wrappedContentKey(), spec.wrappedContentKey());
            assertEquals(grant.issuedAt(), spec.issuedAt());
            assertArrayEquals(product.signerKey(), spec.signerKey());
            assertArrayEquals(product.signature(), spec.signature());
            assertEquals(product.usage(), new Usage(spec.playsUsed(), spec.copiesUsed(), spec.firstUse()));
            assertArrayEquals(product.signedBytes(), spec.signedBytes());
            assertEquals(spec.grantLengthFromFields(), spec.signedBytes().length, "section 2's length of a grant");
            assertEquals(spec.signedBytes().length + (spec.firstUse() == null ? 110 : 122), issued.encoded().length,
                    "section 1's length of a license");
        }
    }

    @Test
    void theIssuersSignatureVerifiesOverExactlyTheBytesTheDocumentSaysAreSigned() {
        for (Issued issued : productLicenses()) {
            SpecLicense spec = SpecLicense.read(issued.encoded());
            byte[] license = issued.encoded();
            int grantLength = spec.signedBytes().length;

            assertArrayEquals(issuerKeys.publicKey(), spec.signerKey());
            assertTrue(Ed25519.verify(spec.signature(), 0, spec.signerKey(), 0, license, 5, grantLength));
            assertFalse(Ed25519.verify(spec.signature(), 0, spec.signerKey(), 0, license, 4, grantLength + 1),
                    "nothing before the grant is signed");
            assertFalse(Ed25519.verify(spec.signature(), 0, spec.signerKey(), 0, license, 5, grantLength + 32),
                    "nor the signer key after it");
        }
    }

    @Test
    void theContentKeyTheProductWrappedOpensAsTheDocumentSays() throws GeneralSecurityException {
        for (Issued issued : productLicenses()) {
            SpecLicense spec = SpecLicense.read(issued.encoded());

            assertArrayEquals(issued.contentKey(), SpecContentKey.openVersion2(spec, devicePrivateKey, devicePublicKey));
            byte[] otherDevice = randomBytes(32);
            assertThrows(GeneralSecurityException.class,
                    () -> SpecContentKey.openVersion2(spec, otherDevice, x25519PublicKey(otherDevice)));
        }
    }

    @Test
    void aVersionOneWrapWrittenFromTheDocumentOpensWithTheProduct() {
        byte[] keyId = randomBytes(KeyId.LENGTH);
        byte[] contentKey = randomBytes(ContentKeys.CONTENT_KEY_LENGTH);

        byte[] wrapped = SpecContentKey.wrapVersion1(contentKey, keyId, DEVICE_ID, devicePublicKey);

        assertEquals(ContentKeys.WRAPPED_V1_LENGTH, wrapped.length);
        RawKeyPair device = KeyAgreement.fromPrivateKey(devicePrivateKey);
        assertArrayEquals(contentKey, ContentKeys.unwrap(wrapped, keyId, DEVICE_ID, device));
        assertArrayEquals(contentKey, ContentKeys.opener(device, DEVICE_ID).open(wrapped, keyId));
    }

    @Test
    void whatTheDocumentCallsMalformedBothReadersRefuse() {
        Issued issued = issue("issuer.example", "urn:content:1", "Title", SampleLicenses.rights(SampleLicenses.EVERY_FLAG),
                new Usage(2, 1, ISSUED_AT));
        SpecLicense spec = SpecLicense.read(issued.encoded());
        int grantEnd = 5 + spec.signedBytes().length;
        int usage = grantEnd + 32 + 64;
        Map<String, UnaryOperator<byte[]>> damages = Map.ofEntries(
                Map.entry("license version 2", set(0, 2)),
                Map.entry("grant version 2", set(5, 2)),
                Map.entry("grant length past the end", set(1, 0x7F)),
                Map.entry("grant length with its top bit set", set(1, 0x80)),
                Map.entry("rights flag bit 6", set(spec.rightsOffset(), 0x40 | SampleLicenses.EVERY_FLAG)),
                Map.entry("play count with its top bit set", set(spec.rightsOffset() + 1 + 12 + 12 + 12, 0x80)),
                Map.entry("nanoseconds of issue time 10^9", bytes -> putInt(bytes, grantEnd - 4, 1_000_000_000)),
                Map.entry("not UTF-8 in the title", set(spec.titleOffset() + 2, 0xFF)),
                Map.entry("has first use 2", set(usage + 8, 2)),
                Map.entry("plays used with its top bit set", set(usage, 0x80)),
                Map.entry("a byte after the end", bytes -> Arrays.copyOf(bytes, bytes.length + 1)),
                Map.entry("a byte short", bytes -> Arrays.copyOf(bytes, bytes.length - 1)),
                Map.entry("longer than the limit", bytes -> new byte[LicenseCodec.MAX_LICENSE_BYTES + 1]));
        damages.forEach((what, damage) -> {
            byte[] damaged = damage.apply(issued.encoded().clone());
            assertThrows(IllegalArgumentException.class, () -> SpecLicense.read(damaged), what);
            assertThrows(MalformedLicenseException.class, () -> LicenseCodec.decode(damaged), what);
        });
    }

    private static UnaryOperator<byte[]> set(int offset, int value) {
        return bytes -> {
            bytes[offset] = (byte) value;
            return bytes;
        };
    }

    private static byte[] putInt(byte[] bytes, int offset, int value) {
        ByteBuffer.wrap(bytes).putInt(offset, value);
        return bytes;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static byte[] x25519PublicKey(byte[] privateKey) {
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.scalarMultBase(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    /** A license as docs/license-encoding.md sections 1 to 3 describe it; malformed input throws IllegalArgumentException. */
    private record SpecLicense(byte[] signedBytes, byte[] keyId, String issuer, String contentId, String title, int titleOffset,
            int rightsOffset, boolean backupAllowed, Instant notBefore, Instant notAfter, Duration validAfterFirstUse,
            Integer playCount, Integer copyCount, String deviceId, byte[] wrappedContentKey, Instant issuedAt, byte[] signerKey,
            byte[] signature, int playsUsed, int copiesUsed, Instant firstUse) {

        private static final int MAX_LICENSE = 21_712;
        private static final int MAX_STRING = 4_096;
        private static final int MAX_WRAPPED_KEY = 1_024;

        static SpecLicense read(byte[] license) {
            if (license.length > MAX_LICENSE) {
                throw new IllegalArgumentException("longer than " + MAX_LICENSE);
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(license);
                requireOne(in.get(), "license version");
                int grantLength = in.getInt();
                if (grantLength < 0 || grantLength > in.remaining()) {
                    throw new IllegalArgumentException("grant length " + grantLength);
                }
                ByteBuffer grant = in.slice(5, grantLength);
                in.position(5 + grantLength);
                requireOne(grant.get(), "grant version");
                byte[] keyId = bytes(grant, 16);
                String issuer = string(grant);
                String contentId = string(grant);
                int titleOffset = 5 + grant.position();
                String title = string(grant);
                int rightsOffset = 5 + grant.position();
                int flags = Byte.toUnsignedInt(grant.get());
                if ((flags & 0xC0) != 0) {
                    throw new IllegalArgumentException("rights flags " + flags);
                }
                Instant notBefore = (flags & 0x02) != 0 ? instant(grant) : null;
                Instant notAfter = (flags & 0x04) != 0 ? instant(grant) : null;
                Duration afterFirstUse = (flags & 0x08) != 0 ? duration(grant) : null;
                Integer plays = (flags & 0x10) != 0 ? count(grant) : null;
                Integer copies = (flags & 0x20) != 0 ? count(grant) : null;
                String deviceId = string(grant);
                int wrappedLength = Short.toUnsignedInt(grant.getShort());
                if (wrappedLength > MAX_WRAPPED_KEY) {
                    throw new IllegalArgumentException("wrapped key of " + wrappedLength + " bytes");
                }
                byte[] wrapped = bytes(grant, wrappedLength);
                Instant issuedAt = instant(grant);
                requireEnd(grant);
                byte[] signerKey = bytes(in, 32);
                byte[] signature = bytes(in, 64);
                int playsUsed = count(in);
                int copiesUsed = count(in);
                int hasFirstUse = in.get();
                if (hasFirstUse != 0 && hasFirstUse != 1) {
                    throw new IllegalArgumentException("has first use " + hasFirstUse);
                }
                Instant firstUse = hasFirstUse == 1 ? instant(in) : null;
                requireEnd(in);
                return new SpecLicense(Arrays.copyOfRange(license, 5, 5 + grantLength), keyId, issuer, contentId, title,
                        titleOffset, rightsOffset, (flags & 0x01) != 0, notBefore, notAfter, afterFirstUse, plays, copies,
                        deviceId, wrapped, issuedAt, signerKey, signature, playsUsed, copiesUsed, firstUse);
            } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("truncated", e);
            }
        }

        /** Section 2's formula of a grant's length from its fields. */
        int grantLengthFromFields() {
            int rights = 1 + (notBefore != null ? 12 : 0) + (notAfter != null ? 12 : 0) + (validAfterFirstUse != null ? 12 : 0)
                    + (playCount != null ? 4 : 0) + (copyCount != null ? 4 : 0);
            return 1 + 16 + (2 + utf8Length(issuer)) + (2 + utf8Length(contentId)) + (2 + utf8Length(title)) + rights
                    + (2 + utf8Length(deviceId)) + (2 + wrappedContentKey.length) + 12;
        }

        private static int utf8Length(String text) {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }

        private static void requireOne(byte version, String what) {
            if (version != 1) {
                throw new IllegalArgumentException(what + " " + version);
            }
        }

        private static void requireEnd(ByteBuffer in) {
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the end");
            }
        }

        private static byte[] bytes(ByteBuffer in, int length) {
            byte[] bytes = new byte[length];
            in.get(bytes);
            return bytes;
        }

        private static String string(ByteBuffer in) {
            int length = Short.toUnsignedInt(in.getShort());
            if (length > MAX_STRING) {
                throw new IllegalArgumentException("string of " + length + " bytes");
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(in, length))).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not UTF-8", e);
            }
        }

        /** A u32 of 0 to 2^31 − 1. */
        private static int count(ByteBuffer in) {
            int count = in.getInt();
            if (count < 0) {
                throw new IllegalArgumentException("count with its top bit set");
            }
            return count;
        }

        private static Instant instant(ByteBuffer in) {
            long seconds = in.getLong();
            long nanos = Integer.toUnsignedLong(in.getInt());
            if (nanos > 999_999_999 || seconds < -31557014167219200L || seconds > 31556889864403199L) {
                throw new IllegalArgumentException("instant out of range");
            }
            return Instant.ofEpochSecond(seconds, nanos);
        }

        private static Duration duration(ByteBuffer in) {
            long seconds = in.getLong();
            long nanos = Integer.toUnsignedLong(in.getInt());
            if (seconds < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("duration out of range");
            }
            return Duration.ofSeconds(seconds, nanos);
        }
    }

    /** The wrapped content key of docs/license-encoding.md section 5. */
    private static final class SpecContentKey {

        private static final byte[] CONTEXT_LABEL = "org.licensebackup content key v1".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] KEY_LABEL_V2 = "org.licensebackup content key v2".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] KEY_WRAP_INFO_V1 = "org.licensebackup key wrap v1".getBytes(StandardCharsets.US_ASCII);

        private SpecContentKey() {
        }

        /** Version 2: 0x02 | E | nonce | ciphertext and tag. */
        static byte[] openVersion2(SpecLicense license, byte[] devicePrivateKey, byte[] devicePublicKey) throws GeneralSecurityException {
            byte[] wrapped = license.wrappedContentKey();
            if (wrapped.length != 77 || wrapped[0] != 0x02) {
                throw new IllegalArgumentException("not a version 2 wrapped content key");
            }
            byte[] ephemeral = Arrays.copyOfRange(wrapped, 1, 33);
            byte[] shared = new byte[32];
            if (!X25519.calculateAgreement(devicePrivateKey, 0, ephemeral, 0, shared, 0)) {
                throw new GeneralSecurityException("ephemeral key of low order");
            }
            byte[] key = hkdf(shared, concat(ephemeral, devicePublicKey), labelled(KEY_LABEL_V2, license.keyId(), license.deviceId()));
            return aesGcm(Cipher.DECRYPT_MODE, key, Arrays.copyOfRange(wrapped, 33, 45),
                    labelled(CONTEXT_LABEL, license.keyId(), license.deviceId()), Arrays.copyOfRange(wrapped, 45, 77));
        }

        /** Version 1: E | AES-256-GCM under a zero nonce. */
        static byte[] wrapVersion1(byte[] contentKey, byte[] keyId, String deviceId, byte[] devicePublicKey) {
            byte[] ephemeralPrivate = randomBytes(32);
            byte[] ephemeral = x25519PublicKey(ephemeralPrivate);
            byte[] shared = new byte[32];
            X25519.calculateAgreement(ephemeralPrivate, 0, devicePublicKey, 0, shared, 0);
            byte[] key = hkdf(shared, concat(ephemeral, devicePublicKey), KEY_WRAP_INFO_V1);
            try {
                return concat(ephemeral, aesGcm(Cipher.ENCRYPT_MODE, key, new byte[12], labelled(CONTEXT_LABEL, keyId, deviceId),
                        contentKey));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-256-GCM is in every JDK", e);
            }
        }

        private static byte[] labelled(byte[] label, byte[] keyId, String deviceId) {
            return concat(concat(label, new byte[] {0}), concat(keyId, deviceId.getBytes(StandardCharsets.UTF_8)));
        }

        private static byte[] hkdf(byte[] inputKey, byte[] salt, byte[] info) {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(inputKey, salt, info));
            byte[] key = new byte[32];
            hkdf.generateBytes(key, 0, key.length);
            return key;
        }

        private static byte[] aesGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        }

        private static byte[] concat(byte[] first, byte[] second) {
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }
}
