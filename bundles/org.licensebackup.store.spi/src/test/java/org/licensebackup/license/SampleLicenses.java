package org.licensebackup.license;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Licenses with known contents, and where each field of their encoding lies, so that a test can
 * damage exactly the field it means. Offsets follow the layout in {@link LicenseCodec}'s javadoc,
 * written out here rather than taken from the codec.
 */
final class SampleLicenses {

    /** The rights flags of the encoding, one per optional field. */
    static final int BACKUP_ALLOWED = 1;
    static final int NOT_BEFORE = 2;
    static final int NOT_AFTER = 4;
    static final int VALID_AFTER_FIRST_USE = 8;
    static final int PLAY_COUNT = 16;
    static final int COPY_COUNT = 32;
    static final int EVERY_FLAG = 63;

    static final KeyId KEY_ID = KeyId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    static final String ISSUER = "issuer.example";
    static final String CONTENT_ID = "urn:content:42";
    static final String TITLE = "Title";
    static final String DEVICE_ID = "device-7";
    static final Instant ISSUED_AT = Instant.parse("2024-03-01T12:00:00.5Z");
    static final Instant FIRST_USED_AT = Instant.parse("2024-03-02T08:30:00.000000001Z");

    /** Where the grant starts in an encoded license: after its version and grant length. */
    static final int GRANT_OFFSET = 1 + 4;
    /** Where the issuer's length field lies in an encoded license: after the grant's version and key ID. */
    static final int ISSUER_LENGTH_OFFSET = GRANT_OFFSET + 1 + KeyId.LENGTH;
    private static final int INSTANT_LENGTH = 8 + 4;

    private SampleLicenses() {
    }

    /** Rights with the fields of {@code flags} set, each to a value no other field has. */
    static Rights rights(int flags) {
        return new Rights(
                (flags & BACKUP_ALLOWED) != 0,
                (flags & NOT_BEFORE) != 0 ? Instant.parse("2024-01-01T00:00:00Z") : null,
                (flags & NOT_AFTER) != 0 ? Instant.parse("2025-12-31T23:59:59.999999999Z") : null,
                (flags & VALID_AFTER_FIRST_USE) != 0 ? Duration.ofDays(30) : null,
                (flags & PLAY_COUNT) != 0 ? 10 : null,
                (flags & COPY_COUNT) != 0 ? 3 : null);
    }

    static License license(Rights rights, Usage usage, String title) {
        LicenseGrant grant = new LicenseGrant(KEY_ID, ISSUER, CONTENT_ID, title, rights, DEVICE_ID,
                filled(80, 0x3C), ISSUED_AT);
        return License.of(grant, filled(LicenseCodec.SIGNER_KEY_LENGTH, 0x5A), filled(LicenseCodec.SIGNATURE_LENGTH, 0xA5), usage);
    }

    /** A license with every rights field and a first use: every part of the encoding present. */
    static License everyField() {
        return license(rights(EVERY_FLAG), new Usage(4, 1, FIRST_USED_AT), TITLE);
    }

    /** A license never used: its encoding ends in the first-use flag. */
    static License neverUsed() {
        return license(rights(EVERY_FLAG), Usage.NONE, TITLE);
    }

    /** Where the title's length field lies in the encoding of a license with the sample issuer and content ID. */
    static int titleLengthOffset() {
        return ISSUER_LENGTH_OFFSET + 2 + utf8Length(ISSUER) + 2 + utf8Length(CONTENT_ID);
    }

    /** Where the rights flags lie in the encoding of a license with the sample strings and {@code title}. */
    static int rightsFlagsOffset(String title) {
        return titleLengthOffset() + 2 + utf8Length(title);
    }

    /** Where the grant's last field, its issue time, starts in {@code encoded}. */
    static int issuedAtOffset(byte[] encoded) {
        return grantEnd(encoded) - INSTANT_LENGTH;
    }

    /** Where the wrapped content key's length field lies in {@code encoded}: before the key and the issue time. */
    static int wrappedKeyLengthOffset(byte[] encoded, int wrappedKeyLength) {
        return issuedAtOffset(encoded) - wrappedKeyLength - 2;
    }

    /** Where the record of use starts in {@code encoded}: after the grant, signer key and signature. */
    static int usageOffset(byte[] encoded) {
        return grantEnd(encoded) + LicenseCodec.SIGNER_KEY_LENGTH + LicenseCodec.SIGNATURE_LENGTH;
    }

    /** Where the first-use flag lies in {@code encoded}: after the play and copy counts. */
    static int firstUseFlagOffset(byte[] encoded) {
        return usageOffset(encoded) + 4 + 4;
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static int grantEnd(byte[] encoded) {
        int grantLength = ((encoded[1] & 0xFF) << 24) | ((encoded[2] & 0xFF) << 16) | ((encoded[3] & 0xFF) << 8) | (encoded[4] & 0xFF);
        return GRANT_OFFSET + grantLength;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
