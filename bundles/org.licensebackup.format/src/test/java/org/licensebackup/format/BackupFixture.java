package org.licensebackup.format;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

/**
 * A device and a license management service with fresh keys, and backups made and read with them:
 * read through the service unless a test says otherwise.
 */
final class BackupFixture {

    static final Instant CREATED_AT = Instant.parse("2024-05-17T10:15:30.123456789Z");

    final RawKeyPair deviceKeys = Signatures.generate();
    final RawKeyPair deviceAgreementKeys = KeyAgreement.generate();
    /** The ID these keys make, as every version 2 header must carry. */
    final String deviceId = DeviceIds.of(deviceKeys.publicKey(), deviceAgreementKeys.publicKey());
    final RawKeyPair recipientKeys = KeyAgreement.generate();
    final RawKeyPair serviceSigningKeys = Signatures.generate();
    final byte[] deviceKeyEscrow = DeviceKeyEscrow.wrap(deviceAgreementKeys, deviceId, recipientKeys.publicKey());
    final ServiceRecipient service = ServiceRecipient.of(recipientKeys.publicKey(), serviceSigningKeys.publicKey(), deviceKeyEscrow);
    final BackupSigner signer = signer(deviceKeys);
    /** The service's side, as at restore. */
    final FileKeyUnwrapper unwrapper = unwrapper(recipientKeys);
    /** The device's own side, as DeviceIdentity.unwrapFileKey does it. */
    final FileKeyUnwrapper deviceUnwrapper = unwrapper(deviceAgreementKeys);

    static BackupSigner signer(RawKeyPair keys) {
        return new BackupSigner() {
            @Override
            public byte[] publicKey() {
                return keys.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return Signatures.sign(keys, message);
            }
        };
    }

    /** Opens file keys of either version wrapped for {@code recipient}. */
    static FileKeyUnwrapper unwrapper(RawKeyPair recipient) {
        return (wrapped, context) -> FileKeyWrap.unwrap(wrapped, recipient, context);
    }

    BackupWriter writer(Path target, boolean overwrite) throws IOException {
        return writer(target, overwrite, service);
    }

    /** @param service null for a device without a license management service */
    BackupWriter writer(Path target, boolean overwrite, ServiceRecipient service) throws IOException {
        return BackupWriter.create(target, overwrite, deviceId, signer, deviceAgreementKeys.publicKey(), service, CREATED_AT);
    }

    Path write(Path target, List<BackupRecord> records) throws IOException {
        return write(target, false, records);
    }

    Path write(Path target, boolean overwrite, List<BackupRecord> records) throws IOException {
        return write(target, overwrite, service, records);
    }

    Path write(Path target, boolean overwrite, ServiceRecipient service, List<BackupRecord> records) throws IOException {
        try (BackupWriter writer = writer(target, overwrite, service)) {
            for (BackupRecord record : records) {
                writer.write(record);
            }
            return writer.commit();
        }
    }

    List<BackupRecord> readAll(Path file) throws IOException {
        return readAll(file, unwrapper);
    }

    static List<BackupRecord> readAll(Path file, FileKeyUnwrapper unwrapper) throws IOException {
        try (BackupReader reader = BackupReader.open(file, unwrapper)) {
            return readRest(reader);
        }
    }

    List<BackupRecord> readAllAsDevice(Path file) throws IOException {
        return readAllAsDevice(file, deviceUnwrapper);
    }

    static List<BackupRecord> readAllAsDevice(Path file, FileKeyUnwrapper deviceUnwrapper) throws IOException {
        try (BackupReader reader = BackupReader.open(file)) {
            reader.openAsDevice(deviceUnwrapper);
            return readRest(reader);
        }
    }

    /** Every record to the end, so that the whole file is checked. */
    static List<BackupRecord> readRest(BackupReader reader) throws IOException {
        List<BackupRecord> records = new ArrayList<>();
        for (Optional<BackupRecord> record = reader.next(); record.isPresent(); record = reader.next()) {
            records.add(record.get());
        }
        return records;
    }

    /** Records of the given license lengths, with contents from a fixed seed so failures repeat. */
    static List<BackupRecord> records(long seed, int... licenseLengths) {
        Random random = new Random(seed);
        List<BackupRecord> records = new ArrayList<>();
        for (int length : licenseLengths) {
            byte[] license = new byte[length];
            random.nextBytes(license);
            records.add(new BackupRecord(license));
        }
        return records;
    }

    /** Enough records of about 1 KiB to fill {@code chunks} chunks and part of one more. */
    static List<BackupRecord> recordsOverChunks(long seed, int chunks) {
        Random random = new Random(seed);
        int count = chunks * Format.CHUNK_SIZE / 1000 + 7;
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = 800 + random.nextInt(400);
        }
        return records(seed, lengths);
    }
}
