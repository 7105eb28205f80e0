package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;

/**
 * Backups written by the version 1 writer and committed under {@code src/test/resources/golden/v1},
 * with {@code golden.properties} saying which keys open them and what they hold.
 *
 * <p>These files must never be made again once released, whatever the format becomes: they stand
 * for the backups users already have. The format may evolve; every later reader must still open
 * these files exactly as this test says. A change that breaks this test breaks users' backups.
 */
class GoldenBackupTest {

    private static final HexFormat HEX = HexFormat.of();

    private final GoldenFiles expected = new GoldenFiles(GoldenFiles.V1);
    private final RawKeyPair lmsKeys = expected.serviceKeys();
    /** The service's side, as at restore: the file key opened with its private key. */
    private final FileKeyUnwrapper unwrapper = (wrapped, context) -> KeyWrap.unwrap(wrapped, lmsKeys, context);

    @Test
    void theThreeLicenseBackupHasTheCommittedHeader() throws IOException {
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.THREE_LICENSES), unwrapper)) {
            assertCommittedHeader(reader, 3);
        }
    }

    @Test
    void theEmptyBackupHasTheCommittedHeaderAndNoRecord() throws IOException {
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.EMPTY), unwrapper)) {
            assertCommittedHeader(reader, 0);
            assertEquals(Optional.empty(), reader.next());
            assertEquals(Optional.empty(), reader.next());
        }
    }

    @Test
    void theDeviceKeyEscrowOpensToTheDevicesAgreementKey() throws IOException {
        for (String file : List.of(GoldenBackupGenerator.THREE_LICENSES, GoldenBackupGenerator.EMPTY)) {
            try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, file), unwrapper)) {
                BackupHeader header = reader.header();
                RawKeyPair deviceAgreementKeys = DeviceKeyEscrow.unwrap(header.service().orElseThrow().deviceKeyEscrow(),
                        header.deviceId(), lmsKeys);
                assertArrayEquals(expected.hex("device.x25519.public"), deviceAgreementKeys.publicKey(), file);
            }
        }
    }

    @Test
    void everyRecordHoldsTheCommittedLicenseBytes() throws IOException {
        List<byte[]> licenses = readLicenses(GoldenBackupGenerator.THREE_LICENSES);

        assertEquals(count(GoldenBackupGenerator.THREE_LICENSES), licenses.size());
        for (int i = 0; i < licenses.size(); i++) {
            assertEquals(expected.property(GoldenBackupGenerator.THREE_LICENSES + ".record." + i + ".sha256"),
                    HEX.formatHex(GoldenBackupGenerator.sha256(licenses.get(i))), "record " + i);
        }
    }

    /** The records are real licenses: signed by the issuer, bound to the device whose key the header escrows. */
    @Test
    void theRecordsAreLicensesWhoseContentKeysTheEscrowedKeyOpens() throws IOException {
        List<byte[]> licenses = readLicenses(GoldenBackupGenerator.THREE_LICENSES);
        RawKeyPair deviceAgreementKeys;
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.THREE_LICENSES), unwrapper)) {
            deviceAgreementKeys = DeviceKeyEscrow.unwrap(reader.header().service().orElseThrow().deviceKeyEscrow(),
                    reader.header().deviceId(), lmsKeys);
        }
        for (int i = 0; i < licenses.size(); i++) {
            String prefix = GoldenBackupGenerator.THREE_LICENSES + ".record." + i;
            License license = LicenseCodec.decode(licenses.get(i));
            assertEquals(KeyId.parse(expected.property(prefix + ".keyId")), license.keyId(), prefix);
            assertEquals(expected.property(prefix + ".title"), license.title(), prefix);
            assertEquals(expected.property("device.id"), license.grant().deviceId(), prefix);
            assertArrayEquals(expected.hex("issuer.ed25519.public"), license.signerKey(), prefix);
            assertTrue(Signatures.verify(license.signerKey(), license.signedBytes(), license.signature()), prefix);
            byte[] contentKey = ContentKeys.unwrap(license.grant().wrappedContentKey(), license.keyId().bytes(),
                    license.grant().deviceId(), deviceAgreementKeys);
            assertArrayEquals(expected.hex(prefix + ".contentKey"), contentKey, prefix);
        }
    }

    /** Bytes at the offsets docs/backup-format.md gives, read without the reader. */
    @Test
    void theHeaderFieldsLieWhereTheSpecificationSays() throws IOException {
        for (String file : List.of(GoldenBackupGenerator.THREE_LICENSES, GoldenBackupGenerator.EMPTY)) {
            byte[] bytes = Files.readAllBytes(GoldenFiles.path(GoldenFiles.V1, file));
            ByteBuffer fields = ByteBuffer.wrap(bytes);
            byte[] deviceId = expected.property("device.id").getBytes(StandardCharsets.UTF_8);
            Instant createdAt = Instant.parse(expected.property("created.at"));
            long payloadLength = readLicenses(file).stream().mapToLong(license -> 4L + license.length).sum();

            assertArrayEquals(new byte[] {(byte) 0x89, 'L', 'B', 'K', 0x0D, 0x0A, 0x1A, 0x0A}, Arrays.copyOf(bytes, 8), file);
            assertEquals(1, fields.getShort(8), file);
            assertEquals(684, fields.getShort(10), file);
            assertArrayEquals(new byte[] {1, 1, 1, 1}, Arrays.copyOfRange(bytes, 12, 16), file);
            assertEquals(createdAt.getEpochSecond(), fields.getLong(16), file);
            assertEquals(createdAt.getNano(), fields.getInt(24), file);
            assertArrayEquals(expected.hex("device.ed25519.public"), Arrays.copyOfRange(bytes, 60, 92), file);
            assertArrayEquals(expected.hex("lms.x25519.public"), Arrays.copyOfRange(bytes, 92, 124), file);
            assertEquals(deviceId.length, bytes[124], file);
            assertArrayEquals(deviceId, Arrays.copyOfRange(bytes, 125, 125 + deviceId.length), file);
            assertEquals(count(file), fields.getLong(604), file);
            assertEquals(payloadLength, fields.getLong(612), file);
            long chunks = Math.max(1, (payloadLength + 65535) / 65536);
            assertEquals(684 + payloadLength + 16 * chunks + 64, bytes.length, file);
        }
    }

    /** KeyHolder follows the specification on its own: it must find the same records as the reader. */
    @Test
    void anIndependentReaderOfTheSpecificationFindsTheSameRecords() throws IOException {
        // reading needs only the service's key; the device's private key would only be needed to seal
        KeyHolder specificationReader = new KeyHolder(lmsKeys, null);
        for (String file : List.of(GoldenBackupGenerator.THREE_LICENSES, GoldenBackupGenerator.EMPTY)) {
            ByteArrayOutputStream recordStream = new ByteArrayOutputStream();
            for (byte[] license : readLicenses(file)) {
                recordStream.writeBytes(KeyHolder.frame(license.length, license));
            }
            assertArrayEquals(recordStream.toByteArray(), specificationReader.records(Files.readAllBytes(GoldenFiles.path(GoldenFiles.V1, file))), file);
        }
    }

    private void assertCommittedHeader(BackupReader reader, long recordCount) {
        BackupHeader header = reader.header();
        assertEquals(1, header.formatVersion());
        assertEquals(expected.property("device.id"), header.deviceId());
        assertArrayEquals(expected.hex("device.ed25519.public"), header.deviceSigningKey());
        assertEquals(Optional.empty(), header.deviceAgreementKey(), "version 1 has no wrap for the device");
        ServiceRecipient service = header.service().orElseThrow();
        assertArrayEquals(expected.hex("lms.x25519.public"), service.recipientKey());
        assertArrayEquals(lmsKeys.publicKey(), service.recipientKey());
        assertEquals(Optional.empty(), service.signingKey(), "version 1 does not name the service's signing key");
        assertEquals(Instant.parse(expected.property("created.at")), header.createdAt());
        assertEquals(recordCount, reader.recordCount());
        assertEquals(Format.DEVICE_KEY_ESCROW_LENGTH, service.deviceKeyEscrow().length);
    }

    /** Every record, read to the end so that the whole file is checked, its signature included. */
    private List<byte[]> readLicenses(String file) throws IOException {
        List<byte[]> licenses = new ArrayList<>();
        for (BackupRecord record : BackupFixture.readAll(GoldenFiles.path(GoldenFiles.V1, file), unwrapper)) {
            licenses.add(record.license());
        }
        return licenses;
    }

    private long count(String file) {
        return Long.parseLong(expected.property(file + ".recordCount"));
    }
}
