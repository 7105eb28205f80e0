package org.licensebackup.license;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.licensebackup.license.SampleLicenses.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LicenseCodecTest {

    static Stream<Arguments> everyRightsCombinationWithAndWithoutFirstUse() {
        return IntStream.rangeClosed(0, EVERY_FLAG).boxed()
                .flatMap(flags -> Stream.of(Arguments.of(flags, false), Arguments.of(flags, true)));
    }

    @ParameterizedTest(name = "rights flags {0}, first use {1}")
    @MethodSource("everyRightsCombinationWithAndWithoutFirstUse")
    void roundTripsEveryCombinationOfRights(int flags, boolean used) {
        Usage usage = used ? new Usage(7, 2, FIRST_USED_AT) : new Usage(0, 0, null);
        License license = license(rights(flags), usage, TITLE);

        assertRoundTrips(license);
        assertEquals(rights(flags), LicenseCodec.decode(LicenseCodec.encode(license)).rights());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ünïcödé Sönġ", "東京物語", "🎵 Ode an die Freude 🎶", "שיר השירים", "", "a\u0000b"})
    void roundTripsTitlesOutsideAscii(String title) {
        License license = license(rights(EVERY_FLAG), Usage.NONE, title);

        assertRoundTrips(license);
        assertEquals(title, LicenseCodec.decode(LicenseCodec.encode(license)).title());
    }

    @Test
    void roundTripsStringsOfTheLongestLength() {
        String longest = "é".repeat(LicenseCodec.MAX_STRING_BYTES / 2);

        assertRoundTrips(license(Rights.unlimited(), Usage.NONE, longest));
    }

    @Test
    void roundTripsTheExtremesOfCountsAndInstants() {
        Rights rights = new Rights(true, Instant.MIN, Instant.MAX, java.time.Duration.ofSeconds(Long.MAX_VALUE),
                Integer.MAX_VALUE, 0);
        Usage usage = new Usage(Integer.MAX_VALUE, Integer.MAX_VALUE, Instant.MIN);

        assertRoundTrips(license(rights, usage, TITLE));
    }

    @Test
    void refusesToEncodeAStringOverTheLimit() {
        String tooLong = "x".repeat(LicenseCodec.MAX_STRING_BYTES + 1);

        assertThrowsExactly(MalformedLicenseException.class,
                () -> LicenseCodec.encode(license(Rights.unlimited(), Usage.NONE, tooLong)));
    }

    @Test
    void refusesALicenseTruncatedAtAnyLength() {
        for (License license : new License[] {everyField(), neverUsed()}) {
            byte[] encoded = LicenseCodec.encode(license);
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(truncated), "cut to " + length + " bytes");
            }
        }
    }

    @Test
    void refusesAGrantTruncatedAtAnyLength() {
        byte[] grant = everyField().signedBytes();
        for (int length = 0; length < grant.length; length++) {
            byte[] truncated = Arrays.copyOf(grant, length);
            assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decodeGrant(truncated), "cut to " + length + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 0xFF})
    void refusesAnyByteAfterTheLicense(int trailing) {
        for (License license : new License[] {everyField(), neverUsed()}) {
            byte[] encoded = LicenseCodec.encode(license);
            byte[] extended = Arrays.copyOf(encoded, encoded.length + 1);
            extended[encoded.length] = (byte) trailing;
            assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(extended));
        }
    }

    @Test
    void refusesAByteAfterTheGrantInsideItsDeclaredLength() {
        byte[] grant = everyField().signedBytes();

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decodeGrant(Arrays.copyOf(grant, grant.length + 1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 0x81, 0xFF})
    void refusesAnUnknownLicenseVersion(int version) {
        byte[] encoded = LicenseCodec.encode(everyField());
        encoded[0] = (byte) version;

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 0xFF})
    void refusesAnUnknownGrantVersion(int version) {
        byte[] encoded = LicenseCodec.encode(everyField());
        encoded[GRANT_OFFSET] = (byte) version;

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 128, 64 | EVERY_FLAG, 0xFF})
    void refusesUnknownRightsFlags(int flags) {
        byte[] encoded = LicenseCodec.encode(everyField());
        encoded[rightsFlagsOffset(TITLE)] = (byte) flags;

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @Test
    void refusesAStringLengthPastTheEndOfTheGrant() {
        byte[] encoded = LicenseCodec.encode(license(Rights.unlimited(), Usage.NONE, TITLE));
        int pastTheGrant = issuedAtOffset(encoded) + 12 - (ISSUER_LENGTH_OFFSET + 2) + 1;
        ByteBuffer.wrap(encoded).putShort(ISSUER_LENGTH_OFFSET, (short) pastTheGrant);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @Test
    void refusesAStringLengthOverTheLimitEvenWhenTheBytesAreThere() {
        String longest = "x".repeat(LicenseCodec.MAX_STRING_BYTES);
        byte[] encoded = LicenseCodec.encode(license(rights(EVERY_FLAG), Usage.NONE, longest));
        ByteBuffer.wrap(encoded).putShort(titleLengthOffset(), (short) (LicenseCodec.MAX_STRING_BYTES + 1));

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    static Stream<byte[]> invalidUtf8() {
        return Stream.of(
                new byte[] {(byte) 0xFF, (byte) 0xFE},            // never in UTF-8
                new byte[] {(byte) 0xC3, 0x28},                   // a lead byte without its continuation
                new byte[] {(byte) 0xC0, (byte) 0x80},            // overlong NUL
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a lone surrogate
                new byte[] {(byte) 0xE6, (byte) 0x9D});           // cut inside a character
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void refusesATitleThatIsNotUtf8(byte[] notUtf8) {
        String placeholder = "x".repeat(notUtf8.length);
        byte[] encoded = LicenseCodec.encode(license(rights(EVERY_FLAG), Usage.NONE, placeholder));
        System.arraycopy(notUtf8, 0, encoded, titleLengthOffset() + 2, notUtf8.length);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000_000_000, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
    void refusesAnIssueTimeWithNanosOutOfRange(int nanos) {
        byte[] encoded = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(encoded).putInt(issuedAtOffset(encoded) + 8, nanos);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000_000_000, -1})
    void refusesAFirstUseWithNanosOutOfRange(int nanos) {
        byte[] encoded = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(encoded).putInt(encoded.length - 4, nanos);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MIN_VALUE, 31556889864403200L, -31557014167219201L})
    void refusesAnInstantBeyondTheRangeOfInstant(long epochSecond) {
        byte[] encoded = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(encoded).putLong(issuedAtOffset(encoded), epochSecond);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0x7F, 0x80, 0xFF})
    void refusesAFirstUseFlagOtherThanZeroOrOne(int flag) {
        for (License license : new License[] {everyField(), neverUsed()}) {
            byte[] encoded = LicenseCodec.encode(license);
            encoded[firstUseFlagOffset(encoded)] = (byte) flag;
            assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000, Integer.MAX_VALUE})
    void refusesAGrantLengthPastTheEndOfTheLicense(int pastTheEnd) {
        byte[] encoded = LicenseCodec.encode(everyField());
        int remaining = encoded.length - GRANT_OFFSET;
        ByteBuffer.wrap(encoded).putInt(1, (int) Math.min(Integer.MAX_VALUE, (long) remaining + pastTheEnd));

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void refusesAGrantLengthAbove2To31(int negative) {
        byte[] encoded = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(encoded).putInt(1, negative);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(ints = {93, 1025, 0xFFFF})
    void refusesAWrappedKeyLengthPastTheEndOrOverTheLimit(int length) {
        byte[] encoded = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(encoded).putShort(wrappedKeyLengthOffset(encoded, 80), (short) length);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @Test
    void refusesACountAbove2To31() {
        byte[] playCountAbove = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(playCountAbove).putInt(usageOffset(playCountAbove), -1);
        byte[] copiesUsedAbove = LicenseCodec.encode(everyField());
        ByteBuffer.wrap(copiesUsedAbove).putInt(usageOffset(copiesUsedAbove) + 4, Integer.MIN_VALUE);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(playCountAbove));
        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(copiesUsedAbove));
    }

    @Test
    void refusesAGrantedPlayCountAbove2To31() {
        License onlyPlays = license(rights(PLAY_COUNT), Usage.NONE, TITLE);
        byte[] encoded = LicenseCodec.encode(onlyPlays);
        ByteBuffer.wrap(encoded).putInt(rightsFlagsOffset(TITLE) + 1, -5);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    @Test
    void refusesANegativeValidityAfterFirstUse() {
        License onlyValidity = license(rights(VALID_AFTER_FIRST_USE), Usage.NONE, TITLE);
        byte[] encoded = LicenseCodec.encode(onlyValidity);
        ByteBuffer.wrap(encoded).putLong(rightsFlagsOffset(TITLE) + 1, -1);

        assertThrowsExactly(MalformedLicenseException.class, () -> LicenseCodec.decode(encoded));
    }

    /**
     * Whatever one damaged byte turns the encoding into, decoding gives a license or refuses it as
     * malformed: never another exception.
     */
    @Test
    void anyOneDamagedByteDecodesOrIsRefusedAsMalformed() {
        for (License license : new License[] {everyField(), neverUsed()}) {
            byte[] encoded = LicenseCodec.encode(license);
            for (int position = 0; position < encoded.length; position++) {
                for (int value = 0; value < 256; value++) {
                    byte[] damaged = encoded.clone();
                    damaged[position] = (byte) value;
                    try {
                        LicenseCodec.decode(damaged);
                    } catch (MalformedLicenseException refused) {
                        assertEquals(MalformedLicenseException.class, refused.getClass());
                    }
                }
            }
        }
    }

    @Test
    void aDecodedLicenseEncodesToTheBytesItWasDecodedFromWhateverTheCallerDoesToThem() {
        byte[] encoded = LicenseCodec.encode(license(rights(EVERY_FLAG), new Usage(3, 1, FIRST_USED_AT), TITLE));
        byte[] original = encoded.clone();
        License decoded = LicenseCodec.decode(encoded);

        Arrays.fill(encoded, (byte) 0);
        byte[] first = LicenseCodec.encode(decoded);
        Arrays.fill(first, (byte) 0);

        assertArrayEquals(original, LicenseCodec.encode(decoded), "neither the decoded array nor an encoding handed out is kept");
    }

    @Test
    void aDecodedLicenseWithAnotherUsageEncodesItsNewUsage() {
        License decoded = LicenseCodec.decode(LicenseCodec.encode(license(rights(EVERY_FLAG), Usage.NONE, TITLE)));
        Usage used = new Usage(5, 2, FIRST_USED_AT);

        assertEquals(used, LicenseCodec.decode(LicenseCodec.encode(decoded.withUsage(used))).usage());
    }

    private static void assertRoundTrips(License license) {
        byte[] encoded = LicenseCodec.encode(license);
        License decoded = LicenseCodec.decode(encoded);

        assertEquals(license, decoded);
        assertEquals(license.grant(), decoded.grant());
        assertEquals(license.usage(), decoded.usage());
        assertArrayEquals(license.signedBytes(), decoded.signedBytes());
        assertArrayEquals(license.signerKey(), decoded.signerKey());
        assertArrayEquals(license.signature(), decoded.signature());
        assertArrayEquals(encoded, LicenseCodec.encode(decoded), "encodes to the same bytes again");
        assertEquals(license.grant(), LicenseCodec.decodeGrant(decoded.signedBytes()));
        assertArrayEquals(license.signedBytes(), LicenseCodec.encodeGrant(decoded.grant()));
    }

    /** The documented layout, field by field: it is what stores and backups keep, so it must never drift. */
    @Test
    void encodesTheDocumentedLayout() {
        String title = "Ünïcödé";
        License license = license(rights(EVERY_FLAG), new Usage(4, 1, FIRST_USED_AT), title);
        byte[] encoded = LicenseCodec.encode(license);
        ByteBuffer fields = ByteBuffer.wrap(encoded);
        byte[] utf8 = title.getBytes(StandardCharsets.UTF_8);

        assertEquals(LicenseCodec.VERSION, encoded[0]);
        assertEquals(license.signedBytes().length, fields.getInt(1));
        assertEquals(LicenseCodec.VERSION, encoded[GRANT_OFFSET]);
        assertArrayEquals(KEY_ID.bytes(), Arrays.copyOfRange(encoded, GRANT_OFFSET + 1, ISSUER_LENGTH_OFFSET));
        assertEquals(ISSUER.length(), fields.getShort(ISSUER_LENGTH_OFFSET));
        assertEquals(utf8.length, fields.getShort(titleLengthOffset()));
        assertArrayEquals(utf8, Arrays.copyOfRange(encoded, titleLengthOffset() + 2, titleLengthOffset() + 2 + utf8.length));
        assertEquals(EVERY_FLAG, encoded[rightsFlagsOffset(title)]);
        assertEquals(80, fields.getShort(wrappedKeyLengthOffset(encoded, 80)));
        assertEquals(ISSUED_AT.getEpochSecond(), fields.getLong(issuedAtOffset(encoded)));
        assertEquals(ISSUED_AT.getNano(), fields.getInt(issuedAtOffset(encoded) + 8));
        assertArrayEquals(license.signerKey(), Arrays.copyOfRange(encoded, usageOffset(encoded) - 96, usageOffset(encoded) - 64));
        assertArrayEquals(license.signature(), Arrays.copyOfRange(encoded, usageOffset(encoded) - 64, usageOffset(encoded)));
        assertEquals(4, fields.getInt(usageOffset(encoded)));
        assertEquals(1, fields.getInt(usageOffset(encoded) + 4));
        assertEquals(1, encoded[firstUseFlagOffset(encoded)]);
        assertEquals(FIRST_USED_AT.getEpochSecond(), fields.getLong(firstUseFlagOffset(encoded) + 1));
        assertEquals(FIRST_USED_AT.getNano(), fields.getInt(firstUseFlagOffset(encoded) + 9));
        assertEquals(firstUseFlagOffset(encoded) + 13, encoded.length);
    }
}
