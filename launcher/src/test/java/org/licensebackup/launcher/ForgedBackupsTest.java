package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.format.BackupFormatException;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.FileKeyUnwrapper;
import org.licensebackup.format.ServiceRecipient;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.Rights;

/**
 * {@link ForgedBackups}, written from docs/backup-format.md alone, follows it: what it writes with
 * coherent fields the product's reader opens, as the device and through the service, and reads to
 * the last signature, record for record; what it writes incoherent, the reader refuses as the
 * format says. So the hostile tests' refusals come from the product's rules, not from a bad writer.
 */
class ForgedBackupsTest {

    private static final Instant CREATED_AT = Instant.parse("2026-12-01T10:15:30.123456789Z");

    @TempDir
    Path directory;

    private final Ed25519PrivateKeyParameters signer = ForgedBackups.newSigningKey();
    private final X25519PrivateKeyParameters agreement = new X25519PrivateKeyParameters(new SecureRandom());
    private final byte[] agreementKey = agreement.generatePublicKey().getEncoded();
    private final RawKeyPair deviceAgreementKeys = KeyAgreement.fromPrivateKey(agreement.getEncoded());
    private final String deviceId = DeviceIds.of(signer.generatePublicKey().getEncoded(), agreementKey);

    @Test
    void theReaderOpensItsBackupAsTheDeviceAndReadsEveryRecordOverSeveralChunks() throws IOException {
        List<byte[]> licenses = licenses(300);
        assertTrue(licenses.stream().mapToInt(license -> 4 + license.length).sum() > 2 * 65536, "fewer than three chunks");
        Path file = ForgedBackups.write(directory.resolve("coherent.lbk"),
                ForgedBackups.Forgery.coherent(signer, agreementKey, CREATED_AT, licenses));

        try (BackupReader reader = BackupReader.open(file)) {
            BackupHeader header = reader.header();
            assertEquals(2, header.formatVersion());
            assertEquals(deviceId, header.deviceId());
            assertArrayEquals(signer.generatePublicKey().getEncoded(), header.deviceSigningKey());
            assertArrayEquals(agreementKey, header.deviceAgreementKey().orElseThrow());
            assertEquals(CREATED_AT, header.createdAt());
            assertEquals(Optional.empty(), header.service());
            reader.openAsDevice(unwrapperOf(deviceAgreementKeys));
            assertEquals(licenses.size(), reader.recordCount());
            assertSameLicenses(licenses, readRest(reader));
        }
    }

    @Test
    void theReaderOpensItsBackupThroughTheServiceItNamesWithTheEscrowItMade() throws IOException {
        RawKeyPair serviceKeys = KeyAgreement.generate();
        byte[] serviceSigningKey = ForgedBackups.newSigningKey().generatePublicKey().getEncoded();
        List<byte[]> licenses = licenses(3);
        Path file = ForgedBackups.write(directory.resolve("for-the-service.lbk"),
                ForgedBackups.Forgery.coherent(signer, agreementKey, CREATED_AT, licenses)
                        .withService(new ForgedBackups.Service(serviceKeys.publicKey(), serviceSigningKey, deviceId,
                                agreement.getEncoded())));

        try (BackupReader reader = BackupReader.open(file)) {
            ServiceRecipient service = reader.header().service().orElseThrow();
            assertArrayEquals(serviceKeys.publicKey(), service.recipientKey());
            assertArrayEquals(serviceSigningKey, service.signingKey().orElseThrow());
            assertArrayEquals(agreementKey, DeviceKeyEscrow.unwrap(service.deviceKeyEscrow(), deviceId, serviceKeys).publicKey());
            reader.openThroughService(unwrapperOf(serviceKeys));
            assertSameLicenses(licenses, readRest(reader));
        }
    }

    @Test
    void anIdItsKeysDoNotMakeIsRefusedAsForged() throws IOException {
        Path file = ForgedBackups.write(directory.resolve("wrong-id.lbk"),
                ForgedBackups.Forgery.coherent(signer, agreementKey, CREATED_AT, licenses(1)).withDeviceId("someone-else"));
        BackupFormatException refused = assertThrows(BackupFormatException.class, () -> BackupReader.open(file).close());
        assertEquals(BackupFormatException.Kind.FORGED, refused.kind());
    }

    @Test
    void aSigningKeyNamedButNotTheSignersIsRefusedAsCorrupt() throws IOException {
        byte[] someoneElsesKey = ForgedBackups.newSigningKey().generatePublicKey().getEncoded();
        Path file = ForgedBackups.write(directory.resolve("swapped-key.lbk"),
                ForgedBackups.Forgery.coherent(signer, agreementKey, CREATED_AT, licenses(1)).withHeaderSigningKey(someoneElsesKey)
                        .withDeviceId(DeviceIds.of(someoneElsesKey, agreementKey)));
        BackupFormatException refused = assertThrows(BackupFormatException.class, () -> BackupReader.open(file).close());
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
    }

    /** Real licenses of about 500 bytes each, bound to the device, as a forger's issuer would make them. */
    private List<byte[]> licenses(int count) {
        Issuer issuer = Issuer.generate("Forger's Issuer");
        List<byte[]> licenses = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            licenses.add(LicenseCodec.encode(issuer.issue(LicenseSpec.of("Forged film " + n + " " + "x".repeat(n % 400),
                    Rights.unlimited().withBackupAllowed(true)), deviceId, agreementKey)));
        }
        return licenses;
    }

    private static FileKeyUnwrapper unwrapperOf(RawKeyPair recipient) {
        return (wrapped, context) -> FileKeyWrap.unwrap(wrapped, recipient, context);
    }

    /** Every record to the end, where the reader checks the last chunk, the manifest and the file's signature. */
    private static List<byte[]> readRest(BackupReader reader) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (Optional<BackupRecord> record = reader.next(); record.isPresent(); record = reader.next()) {
            records.add(record.get().license());
        }
        return records;
    }

    private static void assertSameLicenses(List<byte[]> expected, List<byte[]> read) {
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), read.get(i), "record " + i);
            assertEquals(LicenseCodec.decode(expected.get(i)).keyId(), LicenseCodec.decode(read.get(i)).keyId());
        }
    }
}
