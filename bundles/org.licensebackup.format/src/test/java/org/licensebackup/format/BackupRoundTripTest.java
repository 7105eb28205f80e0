package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.RawKeyPair;

class BackupRoundTripTest {

    @TempDir
    Path directory;

    private final BackupFixture fixture = new BackupFixture();

    @Test
    void roundTripsAnEmptyBackup() throws IOException {
        Path file = fixture.write(directory.resolve("empty.lbk"), List.of());
        assertEquals(List.of(), fixture.readAll(file));
    }

    @Test
    void roundTripsOneRecord() throws IOException {
        List<BackupRecord> records = BackupFixture.records(1, 1000);
        Path file = fixture.write(directory.resolve("one.lbk"), records);
        assertEquals(records, fixture.readAll(file));
    }

    @Test
    void roundTripsManyRecordsOverSeveralChunks() throws IOException {
        List<BackupRecord> records = BackupFixture.recordsOverChunks(2, 5);
        Path file = fixture.write(directory.resolve("many.lbk"), records);
        assertTrue(Files.size(file) > 5L * Format.CHUNK_CIPHERTEXT_SIZE);
        assertEquals(records, fixture.readAll(file));
    }

    @Test
    void roundTripsLicensesOfTheLargestSizeAndEmptyOnes() throws IOException {
        List<BackupRecord> records = BackupFixture.records(3, BackupRecord.MAX_LICENSE_LENGTH, 0, BackupRecord.MAX_LICENSE_LENGTH, 1);
        Path file = fixture.write(directory.resolve("largest.lbk"), records);
        assertEquals(records, fixture.readAll(file));
    }

    @Test
    void roundTripsRecordsThatFillTheLastChunkExactly() throws IOException {
        int fillsOneChunk = Format.CHUNK_SIZE - Format.RECORD_OVERHEAD;
        List<BackupRecord> records = BackupFixture.records(4, fillsOneChunk, fillsOneChunk);
        Path file = fixture.write(directory.resolve("exact.lbk"), records);
        assertEquals(HeaderLayout.V2.fileLength(2L * Format.CHUNK_SIZE), Files.size(file));
        assertEquals(records, fixture.readAll(file));
    }

    @Test
    void roundTripsABackupLargerThanTheWritebackInterval() throws IOException {
        int recordCount = 48_000;
        Path target = directory.resolve("large.lbk");
        try (BackupWriter writer = fixture.writer(target, false)) {
            Random contents = new Random(8);
            for (int i = 0; i < recordCount; i++) {
                writer.write(randomRecord(contents));
            }
            writer.commit();
        }
        assertTrue(Files.size(target) > 48L << 20);
        Random expected = new Random(8);
        try (BackupReader reader = BackupReader.open(target, fixture.unwrapper)) {
            for (int i = 0; i < recordCount; i++) {
                assertEquals(Optional.of(randomRecord(expected)), reader.next(), "record " + i);
            }
            assertEquals(Optional.empty(), reader.next());
        }
    }

    private static BackupRecord randomRecord(Random contents) {
        byte[] license = new byte[1000 + contents.nextInt(100)];
        contents.nextBytes(license);
        return new BackupRecord(license);
    }

    @Test
    void headerFieldsRoundTripAndAreReadableBeforeTheFileKeyIsOpen() throws IOException {
        Path file = fixture.write(directory.resolve("header.lbk"), BackupFixture.records(5, 10, 20, 30));
        try (BackupReader reader = BackupReader.open(file)) {
            BackupHeader header = reader.header();
            assertEquals(2, header.formatVersion());
            assertEquals(fixture.deviceId, header.deviceId());
            assertArrayEquals(fixture.deviceKeys.publicKey(), header.deviceSigningKey());
            assertArrayEquals(fixture.deviceAgreementKeys.publicKey(), header.deviceAgreementKey().orElseThrow());
            assertEquals(fixture.service, header.service().orElseThrow());
            assertArrayEquals(fixture.serviceSigningKeys.publicKey(), header.service().orElseThrow().signingKey().orElseThrow());
            assertEquals(BackupFixture.CREATED_AT, header.createdAt());
            assertThrows(IllegalStateException.class, reader::recordCount);
            assertThrows(IllegalStateException.class, reader::next);

            reader.openThroughService(fixture.unwrapper);
            assertEquals(3, reader.recordCount());
            assertEquals(header, reader.header());
            assertThrows(IllegalStateException.class, () -> reader.openAsDevice(fixture.deviceUnwrapper));
        }
    }

    @Test
    void roundTripsOpenedAsTheDeviceWithoutTheService() throws IOException {
        List<BackupRecord> records = BackupFixture.recordsOverChunks(10, 2);
        Path file = fixture.write(directory.resolve("device.lbk"), records);
        assertEquals(records, fixture.readAllAsDevice(file));
        assertEquals(records, fixture.readAll(file));
    }

    @Test
    void roundTripsABackupMadeWithoutAServiceWhichOnlyTheDeviceOpens() throws IOException {
        List<BackupRecord> records = BackupFixture.records(11, 10, 20);
        Path file = fixture.write(directory.resolve("alone.lbk"), false, null, records);
        try (BackupReader reader = BackupReader.open(file)) {
            assertEquals(Optional.empty(), reader.header().service());
            BackupFormatException refused = assertThrows(BackupFormatException.class, () -> reader.openThroughService(fixture.unwrapper));
            assertEquals(BackupFormatException.Kind.UNSUPPORTED, refused.kind());
            // refusing the service's way leaves the device's open
            reader.openAsDevice(fixture.deviceUnwrapper);
            assertEquals(records, BackupFixture.readRest(reader));
        }
    }

    @Test
    void roundTripsABackupForAServiceWhoseSigningKeyTheDeviceDoesNotKnow() throws IOException {
        ServiceRecipient unpinned = ServiceRecipient.withoutSigningKey(fixture.recipientKeys.publicKey(), fixture.deviceKeyEscrow);
        List<BackupRecord> records = BackupFixture.records(12, 10);
        Path file = fixture.write(directory.resolve("unpinned.lbk"), false, unpinned, records);
        try (BackupReader reader = BackupReader.open(file)) {
            assertEquals(Optional.empty(), reader.header().service().orElseThrow().signingKey());
        }
        assertEquals(records, fixture.readAll(file));
        assertEquals(records, fixture.readAllAsDevice(file));
    }

    @Test
    void aRefusedUnwrapperLeavesTheOtherWayOpen() throws IOException {
        List<BackupRecord> records = BackupFixture.records(13, 10);
        Path file = fixture.write(directory.resolve("retry.lbk"), records);
        try (BackupReader reader = BackupReader.open(file)) {
            IllegalStateException offline = new IllegalStateException("no network");
            assertSame(offline, assertThrows(IllegalStateException.class, () -> reader.openThroughService((wrapped, context) -> {
                throw offline;
            })));
            reader.openAsDevice(fixture.deviceUnwrapper);
            assertEquals(records, BackupFixture.readRest(reader));
        }
    }

    @Test
    void theRecipientOpensTheDeviceKeyEscrowFromTheHeader() throws IOException {
        Path file = fixture.write(directory.resolve("escrow.lbk"), BackupFixture.records(9, 10));
        try (BackupReader reader = BackupReader.open(file, fixture.unwrapper)) {
            BackupHeader header = reader.header();
            RawKeyPair escrowed = DeviceKeyEscrow.unwrap(header.service().orElseThrow().deviceKeyEscrow(), header.deviceId(),
                    fixture.recipientKeys);
            assertArrayEquals(fixture.deviceAgreementKeys.privateKey(), escrowed.privateKey());
            assertArrayEquals(fixture.deviceAgreementKeys.publicKey(), escrowed.publicKey());
        }
    }

    @Test
    void countsRecordsAndFileBytesOnBothSides() throws IOException {
        List<BackupRecord> records = BackupFixture.recordsOverChunks(6, 2);
        Path target = directory.resolve("counted.lbk");
        long bytesWritten;
        try (BackupWriter writer = fixture.writer(target, false)) {
            for (BackupRecord record : records) {
                writer.write(record);
            }
            assertEquals(records.size(), writer.recordCount());
            writer.commit();
            bytesWritten = writer.bytesWritten();
        }
        assertEquals(Files.size(target), bytesWritten);
        try (BackupReader reader = BackupReader.open(target, fixture.unwrapper)) {
            while (reader.next().isPresent()) {
                assertTrue(reader.bytesRead() < bytesWritten);
            }
            assertEquals(bytesWritten, reader.bytesRead());
        }
    }

    @Test
    void staysAtTheEndOnceReached() throws IOException {
        Path file = fixture.write(directory.resolve("end.lbk"), BackupFixture.records(7, 5));
        try (BackupReader reader = BackupReader.open(file, fixture.unwrapper)) {
            assertTrue(reader.next().isPresent());
            assertEquals(Optional.empty(), reader.next());
            assertEquals(Optional.empty(), reader.next());
        }
    }
}
