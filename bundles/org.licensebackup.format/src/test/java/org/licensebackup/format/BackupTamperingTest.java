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

class BackupTamperingTest {

    private static final int CHUNK = FormatV1.CHUNK_CIPHERTEXT_SIZE;
    private static final int BODY = FormatV1.HEADER_LENGTH;

    @TempDir
    Path directory;

    private final BackupFixture fixture = new BackupFixture();

    @Test
    void refusesEverySingleByteChange() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("small.lbk"), BackupFixture.records(1, 30, 0, 45)));
        Set<Integer> versionAndAlgorithmBytes = Set.of(FormatV1.VERSION_OFFSET, FormatV1.VERSION_OFFSET + 1,
                FormatV1.AEAD_ID_OFFSET, FormatV1.KEY_WRAP_ID_OFFSET, FormatV1.SIGNATURE_ID_OFFSET, FormatV1.KDF_ID_OFFSET);
        for (int position = 0; position < genuine.length; position++) {
            for (int flip : new int[] {0x01, 0x80}) {
                byte[] altered = genuine.clone();
                altered[position] ^= (byte) flip;
                BackupFormatException.Kind expected = versionAndAlgorithmBytes.contains(position)
                        ? BackupFormatException.Kind.UNSUPPORTED : BackupFormatException.Kind.CORRUPT;
                assertEquals(expected, refusal(altered), "byte " + position + " xor " + flip);
            }
        }
    }

    @Test
    void refusesATruncationAtEveryChunkBoundaryAndInsideChunks() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("chunks.lbk"), BackupFixture.recordsOverChunks(2, 3)));
        Set<Integer> lengths = new TreeSet<>(List.of(0, 1, 11, 12, BODY - 1, BODY,
                genuine.length - FormatV1.TRAILER_LENGTH, genuine.length - 1));
        for (int chunk = 0; BODY + chunk * CHUNK < genuine.length; chunk++) {
            lengths.add(BODY + chunk * CHUNK);
            lengths.add(BODY + chunk * CHUNK + CHUNK / 2);
        }
        for (int length : lengths) {
            if (length < genuine.length) {
                assertEquals(BackupFormatException.Kind.CORRUPT, refusal(Arrays.copyOf(genuine, length)), "cut at " + length);
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
        byte[] wrongKey = new byte[FormatV1.FILE_KEY_LENGTH];
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
        newer[FormatV1.VERSION_OFFSET + 1] = 2;
        assertEquals(BackupFormatException.Kind.UNSUPPORTED, refusal(newer));
    }

    @Test
    void refusesAnUnknownAlgorithmAsUnsupported() throws IOException {
        byte[] newer = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(13, 10)));
        newer[FormatV1.AEAD_ID_OFFSET] = 2;
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
        System.arraycopy(impostor.publicKey(), 0, resigned, FormatV1.DEVICE_KEY_OFFSET, Signatures.PUBLIC_KEY_LENGTH);
        byte[] signature = Signatures.sign(impostor, FormatV1.concat(FormatV1.HEADER_SIGNATURE_LABEL, resigned, FormatV1.FIXED_PART_END));
        System.arraycopy(signature, 0, resigned, FormatV1.HEADER_SIGNATURE_OFFSET, signature.length);
        Path file = Files.write(directory.resolve("resigned.lbk"), resigned);
        // the file key was wrapped in the context of the genuine device key, so the service refuses it
        assertThrows(CryptoException.class, () -> fixture.readAll(file));
    }

    @Test
    void refusesADeviceKeyEscrowSwappedInAndSignedAgainByTheDevice() throws IOException {
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("b.lbk"), BackupFixture.records(16, 10)));
        byte[] otherEscrow = DeviceKeyEscrow.wrap(KeyAgreement.generate(), BackupFixture.DEVICE_ID, fixture.recipientKeys.publicKey());
        byte[] swapped = new KeyHolder(fixture.recipientKeys, fixture.deviceKeys).withDeviceKeyEscrow(genuine, otherEscrow);
        Path file = Files.write(directory.resolve("swapped.lbk"), swapped);
        // the file key was wrapped in the context of the genuine escrow, so the service refuses it
        assertThrows(CryptoException.class, () -> fixture.readAll(file));
    }

    private byte[] threeChunkBackup(String name, long seed) throws IOException {
        byte[] backup = Files.readAllBytes(fixture.write(directory.resolve(name), BackupFixture.recordsOverChunks(seed, 2)));
        assertEquals(3, (backup.length - BODY - FormatV1.TRAILER_LENGTH + CHUNK - 1) / CHUNK);
        return backup;
    }

    /** How reading {@code file} to its end is refused; fails the test if it is not. */
    private BackupFormatException.Kind refusal(byte[] file) throws IOException {
        Path path = Files.write(directory.resolve("altered.lbk"), file);
        try {
            fixture.readAll(path);
        } catch (BackupFormatException refused) {
            return refused.kind();
        }
        return fail("accepted");
    }
}
