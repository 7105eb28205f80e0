package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

/**
 * A version 2 header's device ID is the one its keys make (docs/backup-format.md, 10.7): a header
 * signed by its own key but claiming another ID is refused as forged before any key is asked for;
 * one whose signature fails is corrupt, as before; version 1, which names no agreement key, is not
 * held to it.
 */
class DeviceIdRuleTest {

    @TempDir
    Path directory;

    private final BackupFixture victim = new BackupFixture();
    private final RawKeyPair stranger = Signatures.generate();

    @Test
    void aStrangerWhoSignsTheVictimsIdAndAgreementKeyIsRefusedAsForgedNamingHisKey() throws IOException {
        byte[] file = genuine();
        put(file, Format.DEVICE_KEY_OFFSET, stranger.publicKey());
        signHeader(file, stranger);

        BackupFormatException refused = refusedOnOpen(file);
        assertEquals(BackupFormatException.Kind.FORGED, refused.kind());
        BackupHeader claimed = refused.claimedHeader().orElseThrow();
        assertEquals(victim.deviceId, claimed.deviceId());
        assertArrayEquals(stranger.publicKey(), claimed.deviceSigningKey());
        assertArrayEquals(victim.deviceAgreementKeys.publicKey(), claimed.deviceAgreementKey().orElseThrow());
        assertTrue(refused.getMessage().contains(Base64.getEncoder().encodeToString(stranger.publicKey())), refused.getMessage());
        assertTrue(refused.getMessage().contains(victim.deviceId), refused.getMessage());
    }

    @Test
    void aDeviceThatSignsAnIdItsKeysDoNotMakeIsRefusedAsForged() throws IOException {
        byte[] file = genuine();
        putDeviceId(file, DeviceIds.of(Signatures.generate().publicKey(), KeyAgreement.generate().publicKey()));
        signHeader(file, victim.deviceKeys);
        assertEquals(BackupFormatException.Kind.FORGED, refusedOnOpen(file).kind());
    }

    @Test
    void aSwappedAgreementKeyIsRefusedAsForgedUnlessTheIdIsMadeAgain() throws IOException {
        RawKeyPair otherAgreement = KeyAgreement.generate();
        byte[] file = genuine();
        put(file, Format.AGREEMENT_KEY_OFFSET, otherAgreement.publicKey());
        signHeader(file, victim.deviceKeys);
        assertEquals(BackupFormatException.Kind.FORGED, refusedOnOpen(file).kind());

        // made again, the ID holds: the header is coherent, and who may open it is the caller's question
        putDeviceId(file, DeviceIds.of(victim.deviceKeys.publicKey(), otherAgreement.publicKey()));
        signHeader(file, victim.deviceKeys);
        Path coherent = Files.write(directory.resolve("coherent.lbk"), file);
        try (BackupReader reader = BackupReader.open(coherent)) {
            assertArrayEquals(otherAgreement.publicKey(), reader.header().deviceAgreementKey().orElseThrow());
        }
    }

    @Test
    void aHeaderWhoseSignatureFailsIsCorruptBeforeItsIdIsLookedAt() throws IOException {
        byte[] file = genuine();
        put(file, Format.DEVICE_KEY_OFFSET, stranger.publicKey());
        BackupFormatException refused = refusedOnOpen(file);
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
        assertTrue(refused.claimedHeader().isEmpty());
    }

    @Test
    void theWriterDoesNotWriteAnIdItsKeysDoNotMake() {
        assertThrows(IllegalArgumentException.class, () -> BackupWriter.create(directory.resolve("x.lbk"), false, "device-1",
                victim.signer, victim.deviceAgreementKeys.publicKey(), victim.service, BackupFixture.CREATED_AT));
        assertEquals(List.of(), Arrays.asList(directory.toFile().list()));
    }

    /** The first version 2 golden files carry an ID the generator made up: no device's backup ever did. */
    @Test
    void theFirstVersion2GoldenFilesWithAMadeUpIdAreRefusedAsForged() throws IOException {
        GoldenFiles madeUp = new GoldenFiles(GoldenFiles.V2_MADE_UP_ID);
        for (String name : List.of(GoldenBackupGenerator.THREE_LICENSES, GoldenBackupGenerator.EMPTY,
                GoldenBackupGenerator.WITHOUT_SERVICE)) {
            BackupFormatException refused = assertThrows(BackupFormatException.class,
                    () -> BackupReader.open(GoldenFiles.path(GoldenFiles.V2_MADE_UP_ID, name)).close(), name);
            assertEquals(BackupFormatException.Kind.FORGED, refused.kind(), name);
            assertEquals(madeUp.property("device.id"), refused.claimedHeader().orElseThrow().deviceId(), name);
        }
    }

    /** Version 1 names no device agreement key, so its ID cannot be checked: its golden files, made-up ID and all, still open. */
    @Test
    void version1IsNotHeldToTheRule() throws IOException {
        GoldenFiles version1 = new GoldenFiles(GoldenFiles.V1);
        try (BackupReader reader = BackupReader.open(GoldenFiles.path(GoldenFiles.V1, GoldenBackupGenerator.THREE_LICENSES),
                BackupFixture.unwrapper(version1.serviceKeys()))) {
            assertEquals(version1.property("device.id"), reader.header().deviceId());
            assertEquals(3, BackupFixture.readRest(reader).size());
        }
    }

    private byte[] genuine() throws IOException {
        return Files.readAllBytes(victim.write(directory.resolve("genuine.lbk"), BackupFixture.records(21, 10, 20)));
    }

    private BackupFormatException refusedOnOpen(byte[] file) throws IOException {
        Path path = Files.write(directory.resolve("altered.lbk"), file);
        return assertThrows(BackupFormatException.class, () -> BackupReader.open(path).close());
    }

    private static void put(byte[] file, int offset, byte[] field) {
        System.arraycopy(field, 0, file, offset, field.length);
    }

    private static void putDeviceId(byte[] file, String deviceId) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(file, Format.DEVICE_ID_OFFSET, Format.DEVICE_ID_END, (byte) 0);
        file[Format.DEVICE_ID_LENGTH_OFFSET] = (byte) id.length;
        put(file, Format.DEVICE_ID_OFFSET, id);
    }

    private static void signHeader(byte[] file, RawKeyPair signer) {
        put(file, HeaderLayout.V2.headerSignatureOffset, Signatures.sign(signer, HeaderLayout.V2.headerSignatureMessage(file)));
    }
}
