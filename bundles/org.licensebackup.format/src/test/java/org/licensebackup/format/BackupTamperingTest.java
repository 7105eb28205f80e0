package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

/**
 * Damaged, altered and forged backups of version 2, as the writer writes them, opened both ways
 * (through the service, and as the device), and of version 1, the golden files users' old backups
 * stand for.
 */
class BackupTamperingTest {

    private static final int CHUNK = Format.CHUNK_CIPHERTEXT_SIZE;
    private static final int BODY = HeaderLayout.V2.headerLength;
    private static final Set<Integer> VERSION_AND_ALGORITHM_BYTES = Set.of(Format.VERSION_OFFSET, Format.VERSION_OFFSET + 1,
            Format.AEAD_ID_OFFSET, Format.KEY_WRAP_ID_OFFSET, Format.SIGNATURE_ID_OFFSET, Format.KDF_ID_OFFSET);

    @TempDir
    Path directory;

    private final BackupFixture fixture = new BackupFixture();

    @Test
    void refusesEverySingleByteChangeOpenedEitherWay() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("small.lbk"), BackupFixture.records(1, 30, 0, 45)));
        assertEveryByteChangeRefused(genuine, path -> fixture.readAll(path));
        assertEveryByteChangeRefused(genuine, path -> fixture.readAllAsDevice(path));
    }

    @Test
    void refusesEverySingleByteChangeOfABackupMadeWithoutAService() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("alone.lbk"), false, null, BackupFixture.records(1, 30, 45)));
        assertEveryByteChangeRefused(genuine, path -> fixture.readAllAsDevice(path));
    }

    @Test
    void refusesEverySingleByteChangeOfAVersion1Backup() throws IOException {
        byte[] genuine = Files.readAllBytes(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.THREE_LICENSES));
        FileKeyUnwrapper service = BackupFixture.unwrapper(new GoldenFiles(GoldenFiles.V1).serviceKeys());
        assertEveryByteChangeRefused(genuine, path -> BackupFixture.readAll(path, service));
    }

    /** How a test reads a file to its end. */
    @FunctionalInterface
    private interface Reading {
        List<BackupRecord> readAll(Path file) throws IOException;
    }

    private void assertEveryByteChangeRefused(byte[] genuine, Reading reading) throws IOException {
        for (int position = 0; position < genuine.length; position++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] altered = genuine.clone();
                altered[position] ^= (byte) flip;
                BackupFormatException.Kind expected = VERSION_AND_ALGORITHM_BYTES.contains(position)
                        ? BackupFormatException.Kind.UNSUPPORTED : BackupFormatException.Kind.CORRUPT;
                assertEquals(expected, refusal(altered, reading), "byte " + position + " xor " + flip);
            }
        }
    }

    @Test
    void refusesATruncationAtEveryChunkBoundaryAndInsideChunks() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("chunks.lbk"), BackupFixture.recordsOverChunks(2, 3)));
        Set<Integer> lengths = new TreeSet<>(List.of(0, 1, 11, 12, BODY - 1, BODY,
                genuine.length - Format.TRAILER_LENGTH, genuine.length - 1));
        for (int chunk = 0; BODY + chunk * CHUNK < genuine.length; chunk++) {
            lengths.add(BODY + chunk * CHUNK);
            lengths.add(BODY + chunk * CHUNK + CHUNK / 2);
        }
        for (int length : lengths) {
            if (length < genuine.length) {
                assertEquals(BackupFormatException.Kind.CORRUPT, refusal(Arrays.copyOf(genuine, length)), "cut at " + length);
                assertEquals(BackupFormatException.Kind.CORRUPT, refusal(Arrays.copyOf(genuine, length), fixture::readAllAsDevice),
                        "cut at " + length + ", opened as the device");
            }
        }
    }

    @Test
    void refusesBytesAppended() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(3, 10)));
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(Arrays.copyOf(genuine, genuine.length + 1)));
    }

    @Test
    void refusesTwoSwappedChunks() throws IOException {
        byte[] genuine = threeChunkBackup("swapped.lbk", 4);
        byte[] swapped = genuine.clone();
        System.arraycopy(genuine, BODY, swapped, BODY + CHUNK, CHUNK);
        System.arraycopy(genuine, BODY + CHUNK, swapped, BODY, CHUNK);
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(swapped));
    }

    @Test
    void refusesARepeatedChunk() throws IOException {
        byte[] repeated = threeChunkBackup("repeated.lbk", 5);
        System.arraycopy(repeated, BODY, repeated, BODY + CHUNK, CHUNK);
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(repeated));
    }

    @Test
    void refusesAChunkSplicedFromAnotherBackup() throws IOException {
        byte[] spliced = threeChunkBackup("one.lbk", 6);
        byte[] other = threeChunkBackup("other.lbk", 6);
        System.arraycopy(other, BODY + CHUNK, spliced, BODY + CHUNK, CHUNK);
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(spliced));
    }

    @Test
    void refusesTheHeaderOfAnotherBackup() throws IOException {
        byte[] spliced = threeChunkBackup("one.lbk", 7);
        byte[] other = threeChunkBackup("other.lbk", 7);
        System.arraycopy(other, 0, spliced, 0, BODY);
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(spliced));
    }

    @Test
    void refusesABackupForAnotherRecipient() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(8, 10));
        FileKeyUnwrapper anotherService = BackupFixture.unwrapper(KeyAgreement.generate());
        assertThrows(CryptoException.class, () -> BackupFixture.readAll(file, anotherService));
    }

    @Test
    void refusesABackupOfAnotherDevice() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(8, 10));
        FileKeyUnwrapper anotherDevice = BackupFixture.unwrapper(KeyAgreement.generate());
        assertThrows(CryptoException.class, () -> BackupFixture.readAllAsDevice(file, anotherDevice));
        // the service's wrap does not open as the device's, nor the device's as the service's
        assertThrows(CryptoException.class, () -> BackupFixture.readAllAsDevice(file, fixture.unwrapper));
        assertThrows(CryptoException.class, () -> BackupFixture.readAll(file, fixture.deviceUnwrapper));
    }

    @Test
    void refusesAWrongFileKeyFromTheDevice() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(10, 10));
        byte[] wrongKey = new byte[Format.FILE_KEY_LENGTH];
        new Random(10).nextBytes(wrongKey);
        BackupFormatException refused = assertThrows(BackupFormatException.class,
                () -> BackupFixture.readAllAsDevice(file, (wrapped, context) -> wrongKey.clone()));
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
    }

    @Test
    void refusesToOpenAVersion1BackupAsTheDevice() throws IOException {
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.EMPTY))) {
            BackupFormatException refused = assertThrows(BackupFormatException.class, () -> reader.openAsDevice(fixture.deviceUnwrapper));
            assertEquals(BackupFormatException.Kind.UNSUPPORTED, refused.kind());
        }
    }

    @Test
    void aReaderThatFoundDamageStaysFailed() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(10, 10));
        try (BackupReader reader = BackupReader.open(file)) {
            assertThrows(BackupFormatException.class, () -> reader.openAsDevice((wrapped, context) -> new byte[32]));
            assertThrows(IllegalStateException.class, () -> reader.openThroughService(fixture.unwrapper));
        }
    }

    @Test
    void passesTheUnwrappersExceptionThroughUnchanged() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(9, 10));
        IllegalStateException serviceDown = new IllegalStateException("service unavailable");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> BackupReader.open(file, (wrapped, context) -> {
            throw serviceDown;
        }));
        assertSame(serviceDown, thrown);
    }

    @Test
    void refusesAWrongFileKey() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(10, 10));
        byte[] wrongKey = new byte[Format.FILE_KEY_LENGTH];
        new Random(10).nextBytes(wrongKey);
        BackupFormatException refused = assertThrows(BackupFormatException.class,
                () -> BackupReader.open(file, (wrapped, context) -> wrongKey.clone()));
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
    }

    @Test
    void refusesAnUnwrappedKeyOfTheWrongLength() throws IOException {
        Path file = fixture.write(directory.resolve("b.lbk"), BackupFixture.records(11, 10));
        BackupFormatException refused = assertThrows(BackupFormatException.class,
                () -> BackupReader.open(file, (wrapped, context) -> new byte[16]));
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
    }

    @Test
    void refusesAnUnknownFormatVersionAsUnsupported() throws IOException {
        byte[] newer = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(12, 10)));
        newer[Format.VERSION_OFFSET + 1] = 3;
        assertEquals(BackupFormatException.Kind.UNSUPPORTED, refusal(newer));
    }

    @Test
    void refusesAnUnknownAlgorithmAsUnsupported() throws IOException {
        byte[] newer = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(13, 10)));
        newer[Format.AEAD_ID_OFFSET] = 2;
        assertEquals(BackupFormatException.Kind.UNSUPPORTED, refusal(newer));
    }

    @Test
    void refusesFilesThatAreNotBackups() throws IOException {
        byte[] noise = new byte[4096];
        new Random(14).nextBytes(noise);
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(noise));
        assertEquals(BackupFormatException.Kind.CORRUPT, refusal(new byte[0]));
    }

    @Test
    void refusesABackupWhoseHeaderAnotherDeviceSignedAgain() throws IOException {
        byte[] resigned = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(15, 10)));
        RawKeyPair impostor = Signatures.generate();
        System.arraycopy(impostor.publicKey(), 0, resigned, Format.DEVICE_KEY_OFFSET, Signatures.PUBLIC_KEY_LENGTH);
        byte[] signature = Signatures.sign(impostor, HeaderLayout.V2.headerSignatureMessage(resigned));
        System.arraycopy(signature, 0, resigned, HeaderLayout.V2.headerSignatureOffset, signature.length);
        // the device ID is no longer the one the header's keys make: refused before any key is asked for
        assertEquals(BackupFormatException.Kind.FORGED, refusal(resigned));
        assertEquals(BackupFormatException.Kind.FORGED, refusal(resigned, fixture::readAllAsDevice));
    }

    @Test
    void refusesADeviceKeyEscrowSwappedInAndSignedAgainByTheDevice() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(16, 10)));
        byte[] otherEscrow = DeviceKeyEscrow.wrap(KeyAgreement.generate(), fixture.deviceId, fixture.recipientKeys.publicKey());
        byte[] swapped = new KeyHolder(fixture.recipientKeys, fixture.deviceKeys).withDeviceKeyEscrow(genuine, otherEscrow);
        Path file = Files.write(directory.resolve("swapped.lbk"), swapped);
        // the file key was wrapped in the context of the genuine escrow, so the service refuses it
        assertThrows(CryptoException.class, () -> fixture.readAll(file));
        assertThrows(CryptoException.class, () -> fixture.readAllAsDevice(file));
    }

    private byte[] threeChunkBackup(String name, long seed) throws IOException {
        byte[] backup = Files.readAllBytes(fixture.write(directory.resolve(name), BackupFixture.recordsOverChunks(seed, 2)));
        assertEquals(3, (backup.length - BODY - Format.TRAILER_LENGTH + CHUNK - 1) / CHUNK);
        return backup;
    }

    /** How reading {@code file} to its end is refused; fails the test if it is not. */
    private BackupFormatException.Kind refusal(byte[] file) throws IOException {
        return refusal(file, fixture::readAll);
    }

    private BackupFormatException.Kind refusal(byte[] file, Reading reading) throws IOException {
        Path path = Files.write(directory.resolve("altered.lbk"), file);
        try {
            reading.readAll(path);
        } catch (BackupFormatException refused) {
            return refused.kind();
        }
        return fail("accepted");
    }
}
