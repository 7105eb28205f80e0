package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensebackup.crypto.ContentKeyOpener;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;

/**
 * Backups written by the version 2 writer and committed under {@code src/test/resources/golden/v2},
 * with {@code golden.properties} saying which keys open them and what they hold: two made for a
 * license management service, one made without.
 *
 * <p>These files must never be made again once released, whatever the format becomes: they stand
 * for the backups users already have. Every later reader must still open them exactly as this test
 * says, through the service and as the device. (They were made once more when the device ID rule
 * came, docs/backup-format.md 10.7: the first set's ID was made up, as no device's ever was; that set
 * stays in {@code golden/v2-made-up-id}, refused as forged by {@link DeviceIdRuleTest}.)
 */
class GoldenBackupV2Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final String THREE = GoldenBackupGenerator.THREE_LICENSES;
    private static final String EMPTY = GoldenBackupGenerator.EMPTY;
    private static final String WITHOUT_SERVICE = GoldenBackupGenerator.WITHOUT_SERVICE;

    private final GoldenFiles expected = new GoldenFiles(GoldenFiles.V2);
    private final RawKeyPair lmsKeys = expected.serviceKeys();
    private final RawKeyPair deviceAgreementKeys = KeyAgreement.fromPrivateKey(expected.hex("device.x25519.private"));
    private final FileKeyUnwrapper service = BackupFixture.unwrapper(lmsKeys);
    private final FileKeyUnwrapper device = BackupFixture.unwrapper(deviceAgreementKeys);

    @Test
    void theDeviceKeysInTheDescriptionArePairs() {
        assertArrayEquals(expected.hex("device.x25519.public"), deviceAgreementKeys.publicKey());
        assertArrayEquals(expected.hex("lms.x25519.public"), lmsKeys.publicKey());
    }

    @Test
    void theHeadersAreTheCommittedOnesBeforeAnyKeyIsAskedFor() throws IOException {
        for (String file : List.of(THREE, EMPTY, WITHOUT_SERVICE)) {
            try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V2, file))) {
                BackupHeader header = reader.header();
                assertEquals(2, header.formatVersion(), file);
                assertEquals(expected.property("device.id"), header.deviceId(), file);
                assertArrayEquals(expected.hex("device.ed25519.public"), header.deviceSigningKey(), file);
                assertArrayEquals(expected.hex("device.x25519.public"), header.deviceAgreementKey().orElseThrow(), file);
                assertEquals(Instant.parse(expected.property("created.at")), header.createdAt(), file);
                if (file.equals(WITHOUT_SERVICE)) {
                    assertEquals(Optional.empty(), header.service(), file);
                } else {
                    ServiceRecipient recipient = header.service().orElseThrow();
                    assertArrayEquals(expected.hex("lms.x25519.public"), recipient.recipientKey(), file);
                    assertArrayEquals(expected.hex("lms.ed25519.public"), recipient.signingKey().orElseThrow(), file);
                    assertArrayEquals(expected.hex("device.x25519.public"),
                            DeviceKeyEscrow.unwrap(recipient.deviceKeyEscrow(), header.deviceId(), lmsKeys).publicKey(), file);
                }
            }
        }
    }

    @Test
    void everyRecordHoldsTheCommittedLicenseBytesOpenedEitherWay() throws IOException {
        for (String file : List.of(THREE, EMPTY, WITHOUT_SERVICE)) {
            List<List<BackupRecord>> readings = new ArrayList<>();
            readings.add(BackupFixture.readAllAsDevice(GoldenFiles.path(GoldenFiles.V2, file), device));
            if (!file.equals(WITHOUT_SERVICE)) {
                readings.add(BackupFixture.readAll(GoldenFiles.path(GoldenFiles.V2, file), service));
            }
            for (List<BackupRecord> records : readings) {
                assertEquals(Long.parseLong(expected.property(file + ".recordCount")), records.size(), file);
                for (int i = 0; i < records.size(); i++) {
                    assertEquals(expected.property(file + ".record." + i + ".sha256"),
                            HEX.formatHex(GoldenBackupGenerator.sha256(records.get(i).license())), file + " record " + i);
                }
            }
        }
    }

    @Test
    void theBackupWithoutAServiceOpensOnlyAsTheDevice() throws IOException {
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V2, WITHOUT_SERVICE))) {
            BackupFormatException refused = assertThrows(BackupFormatException.class, () -> reader.openThroughService(service));
            assertEquals(BackupFormatException.Kind.UNSUPPORTED, refused.kind());
        }
    }

    /**
     * The records are real licenses: signed by the issuer, their content keys in the version 2 form,
     * all under the one ephemeral key of the issuer's session with the device, which the device opens.
     */
    @Test
    void theRecordsAreLicensesWhoseContentKeysTheDeviceOpens() throws IOException {
        List<BackupRecord> records = BackupFixture.readAllAsDevice(GoldenFiles.path(GoldenFiles.V2, THREE), device);
        ContentKeyOpener opener = ContentKeys.opener(deviceAgreementKeys, expected.property("device.id"));
        byte[] sharedEphemeralKey = null;
        for (int i = 0; i < records.size(); i++) {
            String prefix = THREE + ".record." + i;
            License license = LicenseCodec.decode(records.get(i).license());
            assertEquals(KeyId.parse(expected.property(prefix + ".keyId")), license.keyId(), prefix);
            assertEquals(expected.property(prefix + ".title"), license.title(), prefix);
            assertArrayEquals(expected.hex("issuer.ed25519.public"), license.signerKey(), prefix);
            assertTrue(Signatures.verify(license.signerKey(), license.signedBytes(), license.signature()), prefix);
            byte[] wrapped = license.grant().wrappedContentKey();
            assertEquals(ContentKeys.WRAPPED_V2_LENGTH, wrapped.length, prefix);
            byte[] ephemeralKey = Arrays.copyOfRange(wrapped, 1, 33);
            if (sharedEphemeralKey == null) {
                sharedEphemeralKey = ephemeralKey;
            }
            assertArrayEquals(sharedEphemeralKey, ephemeralKey, prefix);
            assertArrayEquals(expected.hex(prefix + ".contentKey"), opener.open(wrapped, license.keyId().bytes()), prefix);
        }
    }

    /** Bytes at the offsets docs/backup-format.md gives for version 2, read without the reader. */
    @Test
    void theHeaderFieldsLieWhereTheSpecificationSays() throws IOException {
        for (String file : List.of(THREE, EMPTY, WITHOUT_SERVICE)) {
            byte[] bytes = Files.readAllBytes(GoldenFiles.path(GoldenFiles.V2, file));
            ByteBuffer fields = ByteBuffer.wrap(bytes);
            byte[] deviceId = expected.property("device.id").getBytes(StandardCharsets.UTF_8);
            Instant createdAt = Instant.parse(expected.property("created.at"));
            long payloadLength = readLicenses(file).stream().mapToLong(license -> 4L + license.length).sum();
            boolean withService = !file.equals(WITHOUT_SERVICE);

            assertArrayEquals(new byte[] {(byte) 0x89, 'L', 'B', 'K', 0x0D, 0x0A, 0x1A, 0x0A}, Arrays.copyOf(bytes, 8), file);
            assertEquals(2, fields.getShort(8), file);
            assertEquals(831, fields.getShort(10), file);
            assertArrayEquals(new byte[] {1, 2, 1, 1}, Arrays.copyOfRange(bytes, 12, 16), file);
            assertEquals(createdAt.getEpochSecond(), fields.getLong(16), file);
            assertEquals(createdAt.getNano(), fields.getInt(24), file);
            assertArrayEquals(expected.hex("device.ed25519.public"), Arrays.copyOfRange(bytes, 60, 92), file);
            assertArrayEquals(expected.hex("device.x25519.public"), Arrays.copyOfRange(bytes, 92, 124), file);
            assertEquals(deviceId.length, bytes[124], file);
            assertArrayEquals(deviceId, Arrays.copyOfRange(bytes, 125, 125 + deviceId.length), file);
            assertEquals(withService ? 3 : 0, bytes[380], file);
            assertArrayEquals(withService ? expected.hex("lms.x25519.public") : new byte[32], Arrays.copyOfRange(bytes, 381, 413), file);
            assertArrayEquals(withService ? expected.hex("lms.ed25519.public") : new byte[32], Arrays.copyOfRange(bytes, 413, 445), file);
            assertEquals(withService, !Arrays.equals(new byte[80], Arrays.copyOfRange(bytes, 445, 525)), file);
            assertEquals(withService ? 2 : 0, bytes[525], file);
            assertEquals(2, bytes[606], file);
            assertEquals(count(file), fields.getLong(751), file);
            assertEquals(payloadLength, fields.getLong(759), file);
            long chunks = Math.max(1, (payloadLength + 65535) / 65536);
            assertEquals(831 + payloadLength + 16 * chunks + 64, bytes.length, file);
        }
    }

    /** KeyHolder follows the specification on its own: it must find the same records as the reader. */
    @Test
    void anIndependentReaderOfTheSpecificationFindsTheSameRecords() throws IOException {
        KeyHolder specificationReader = new KeyHolder(lmsKeys, null);
        for (String file : List.of(THREE, EMPTY)) {
            ByteArrayOutputStream recordStream = new ByteArrayOutputStream();
            for (byte[] license : readLicenses(file)) {
                recordStream.writeBytes(KeyHolder.frame(license.length, license));
            }
            assertArrayEquals(recordStream.toByteArray(),
                    specificationReader.records(Files.readAllBytes(GoldenFiles.path(GoldenFiles.V2, file))), file);
        }
    }

    private List<byte[]> readLicenses(String file) throws IOException {
        List<byte[]> licenses = new ArrayList<>();
        for (BackupRecord record : BackupFixture.readAllAsDevice(GoldenFiles.path(GoldenFiles.V2, file), device)) {
            licenses.add(record.license());
        }
        return licenses;
    }

    private long count(String file) {
        return Long.parseLong(expected.property(file + ".recordCount"));
    }
}
