package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

class BackupWriterTest {

    @TempDir
    Path directory;

    private final BackupFixture fixture = new BackupFixture();

    @Test
    void refusesAnExistingTargetWithoutOverwrite() throws IOException {
        Path target = Files.writeString(directory.resolve("taken.lbk"), "someone else's");
        BackupFormatException refused = assertThrows(BackupFormatException.class, () -> fixture.writer(target, false));
        assertEquals(BackupFormatException.Kind.EXISTS, refused.kind());
        assertEquals("someone else's", Files.readString(target));
        assertEquals(List.of(target), list(directory));
    }

    @Test
    void refusesATargetThatAppearedBeforeCommitWithoutOverwrite() throws IOException {
        Path target = directory.resolve("raced.lbk");
        try (BackupWriter writer = fixture.writer(target, false)) {
            writer.write(BackupFixture.records(1, 100).get(0));
            Files.writeString(target, "arrived meanwhile");
            BackupFormatException refused = assertThrows(BackupFormatException.class, writer::commit);
            assertEquals(BackupFormatException.Kind.EXISTS, refused.kind());
        }
        assertEquals("arrived meanwhile", Files.readString(target));
        assertEquals(List.of(target), list(directory));
    }

    @Test
    void overwriteReplacesTheOldBackup() throws IOException {
        Path target = directory.resolve("backup.lbk");
        fixture.write(target, BackupFixture.records(1, 10, 20));
        List<BackupRecord> newer = BackupFixture.records(2, 30);
        fixture.write(target, true, newer);
        assertEquals(newer, fixture.readAll(target));
        assertEquals(List.of(target), list(directory));
    }

    @Test
    void closingWithoutCommitLeavesNoTemporaryFileAndThePreviousBackupIntact() throws IOException {
        Path target = directory.resolve("backup.lbk");
        List<BackupRecord> previous = BackupFixture.records(3, 10, 20);
        fixture.write(target, previous);
        byte[] previousBytes = Files.readAllBytes(target);
        try (BackupWriter writer = fixture.writer(target, true)) {
            for (BackupRecord record : BackupFixture.recordsOverChunks(4, 2)) {
                writer.write(record);
            }
            assertEquals(2, list(directory).size());
        }
        assertEquals(List.of(target), list(directory));
        assertArrayEquals(previousBytes, Files.readAllBytes(target));
        assertEquals(previous, fixture.readAll(target));
    }

    @Test
    void writesAHiddenOwnerOnlyTemporaryFileBesideTheTarget() throws IOException {
        assumeTrue(directory.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path target = directory.resolve("backup.lbk");
        try (BackupWriter writer = fixture.writer(target, false)) {
            List<Path> files = list(directory);
            assertEquals(1, files.size());
            String name = files.get(0).getFileName().toString();
            assertTrue(name.startsWith(".") && name.endsWith(".tmp"), name);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
            writer.commit();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void removesTheTemporaryFilesOfKilledWritersOfTheSameTargetAndNothingElse() throws IOException {
        Path target = directory.resolve("backup.lbk");
        Path killedWriters = Files.write(directory.resolve(".backup.lbk.0123456789abcdef.tmp"), new byte[1000]);
        Path killedEarlier = Files.write(directory.resolve(".backup.lbk.fedcba9876543210.tmp"), new byte[10]);
        List<Path> notOurs = List.of(
                Files.writeString(directory.resolve(".other.lbk.0123456789abcdef.tmp"), "another target's"),
                Files.writeString(directory.resolve(".backup.lbk.notahexnumber!!.tmp"), "not our pattern"),
                Files.writeString(directory.resolve("backup.lbk.0123456789abcdef.tmp"), "not hidden"),
                Files.writeString(directory.resolve("notes.txt"), "the user's"));

        fixture.write(target, BackupFixture.records(7, 10));

        assertTrue(Files.notExists(killedWriters));
        assertTrue(Files.notExists(killedEarlier));
        List<Path> expected = new java.util.ArrayList<>(notOurs);
        expected.add(target);
        assertEquals(expected.stream().sorted().toList(), list(directory));
    }

    @Test
    void leavesTheTemporaryFileOfAWriterStillWritingTheSameTarget() throws IOException {
        Path target = directory.resolve("backup.lbk");
        try (BackupWriter first = fixture.writer(target, true)) {
            first.write(BackupFixture.records(8, 10).get(0));
            Path firstTemporary = list(directory).get(0);
            try (BackupWriter second = fixture.writer(target, true)) {
                assertTrue(Files.exists(firstTemporary));
                second.commit();
            }
            first.commit();
        }
        assertEquals(List.of(target), list(directory));
    }

    @Test
    void createsAMissingDirectory() throws IOException {
        Path target = directory.resolve("a/b/backup.lbk");
        List<BackupRecord> records = BackupFixture.records(5, 10);
        fixture.write(target, records);
        assertEquals(records, fixture.readAll(target));
    }

    @Test
    void refusesWritesAfterCommit() throws IOException {
        try (BackupWriter writer = fixture.writer(directory.resolve("done.lbk"), false)) {
            writer.commit();
            assertThrows(IllegalStateException.class, () -> writer.write(BackupFixture.records(6, 1).get(0)));
            assertThrows(IllegalStateException.class, writer::commit);
        }
    }

    @Test
    void refusesASignerWhoseSignaturesDoNotMatchItsPublicKey() throws IOException {
        RawKeyPair other = Signatures.generate();
        BackupSigner mismatched = new BackupSigner() {
            @Override
            public byte[] publicKey() {
                return fixture.deviceKeys.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return Signatures.sign(other, message);
            }
        };
        assertThrows(IllegalArgumentException.class, () -> BackupWriter.create(directory.resolve("x.lbk"), false,
                fixture.deviceId, mismatched, fixture.deviceAgreementKeys.publicKey(), fixture.service, BackupFixture.CREATED_AT));
        assertEquals(List.of(), list(directory));
    }

    @Test
    void refusesADeviceIdLongerThanTheLimit() {
        assertThrows(IllegalArgumentException.class, () -> BackupWriter.create(directory.resolve("x.lbk"), false,
                "d".repeat(Format.MAX_DEVICE_ID_LENGTH + 1), fixture.signer, fixture.deviceAgreementKeys.publicKey(),
                fixture.service, BackupFixture.CREATED_AT));
    }

    @Test
    void refusesADeviceAgreementKeyOfTheWrongLengthOrOfLowOrder() {
        for (byte[] wrong : new byte[][] {new byte[31], new byte[32]}) {
            assertThrows(IllegalArgumentException.class, () -> BackupWriter.create(directory.resolve("x.lbk"), false,
                    fixture.deviceId, fixture.signer, wrong, fixture.service, BackupFixture.CREATED_AT));
        }
    }

    @Test
    void refusesAServiceKeyOfLowOrder() {
        ServiceRecipient lowOrder = ServiceRecipient.withoutSigningKey(new byte[32], fixture.deviceKeyEscrow);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> fixture.writer(directory.resolve("x.lbk"),
                false, lowOrder));
        assertTrue(refused.getMessage().contains("service"), refused.getMessage());
    }

    @Test
    void aServiceRecipientRefusesKeysAndEscrowsOfTheWrongLengthOrNone() {
        byte[] escrow = fixture.deviceKeyEscrow;
        byte[] recipientKey = fixture.recipientKeys.publicKey();
        byte[] signingKey = fixture.serviceSigningKeys.publicKey();
        for (byte[] wrong : new byte[][] {Arrays.copyOf(escrow, escrow.length - 1), Arrays.copyOf(escrow, escrow.length + 1),
                new byte[0], null}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ServiceRecipient.of(recipientKey, signingKey, wrong));
            assertTrue(refused.getMessage().contains("escrow"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceRecipient.of(new byte[31], signingKey, escrow));
        assertThrows(IllegalArgumentException.class, () -> ServiceRecipient.of(recipientKey, new byte[33], escrow));
        assertThrows(IllegalArgumentException.class, () -> ServiceRecipient.of(recipientKey, null, escrow));
        assertThrows(IllegalArgumentException.class, () -> ServiceRecipient.withoutSigningKey(null, escrow));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
