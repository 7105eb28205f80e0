package org.licensebackup.device.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.device.DeviceRecordException;

/**
 * docs/device-key.md is enough to read and write a device's key file: {@link SpecKeyFile}, written
 * from that document alone with Bouncy Castle's Ed25519 and X25519 and the JDK's SHA-256 (no
 * {@code KeyFile}, {@code DeviceKeys} or crypto bundle), reads what the device wrote as the device
 * reads it, and the device reads what it wrote.
 */
class DeviceKeySpecTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The worked example of docs/device-key.md 4.1: the golden backups' test-only device. */
    private static final byte[] EXAMPLE_SIGNING_PRIVATE_KEY = sha256(utf8("org.licensebackup TEST ONLY golden key: device Ed25519"));
    private static final byte[] EXAMPLE_AGREEMENT_PRIVATE_KEY = sha256(utf8("org.licensebackup TEST ONLY golden key: device X25519"));
    private static final String EXAMPLE_DEVICE_ID = "YTTG52lZcwnlYY2Zlo3cjQ";
    private static final Map<Integer, String> EXAMPLE_CHECKSUMS = Map.of(
            1, "834032304cb55923b73a2beac4dc6a4265baca8199bd733e78837685c276f6fa",
            2, "b7b85e7e9f8a4cc2d5eabd8d0887449a536d947ba476487f920d71d3a92a4776");

    private Path keyFile;
    private Path recordFile;

    /** The key file and the record beside it, named as docs/device-key.md section 1 names them. */
    @BeforeEach
    void nameTheFiles(@TempDir Path home) {
        keyFile = home.resolve("device.key");
        recordFile = home.resolve("device.record");
    }

    @Test
    void aKeyFileTheDeviceWroteGivesTheDevicesKeysAndIdAsTheDocumentDerivesThem() throws Exception {
        DeviceKeys device = KeptRecord.open(keyFile).keys();

        SpecKeyFile read = SpecKeyFile.read(Files.readAllBytes(keyFile));

        assertEquals(2, read.version(), "a device that keeps a record");
        assertArrayEquals(device.signingPublicKey(), read.signingPublicKey());
        assertArrayEquals(device.agreementPublicKey(), read.agreementPublicKey());
        assertEquals(device.deviceId(), read.deviceId());
        byte[] message = utf8("signed by the device, checked with the key the document derives");
        byte[] signature = device.sign(message);
        assertTrue(Ed25519.verify(signature, 0, read.signingPublicKey(), 0, message, 0, message.length));
        byte[] scalar = read.agreementPrivateKey();
        assertEquals(0, scalar[0] & 0x07, "written clamped: low three bits clear");
        assertEquals(0x40, scalar[31] & 0xC0, "written clamped: top bit clear, the next one set");
    }

    @Test
    void theDocumentsExampleIsTheGoldenDeviceInBothVersionsAndVersionOneIsMarkedAsTwoByteForByte() throws Exception {
        byte[] version1 = SpecKeyFile.write(1, EXAMPLE_SIGNING_PRIVATE_KEY, EXAMPLE_AGREEMENT_PRIVATE_KEY);
        byte[] version2 = SpecKeyFile.write(2, EXAMPLE_SIGNING_PRIVATE_KEY, EXAMPLE_AGREEMENT_PRIVATE_KEY);
        assertEquals(EXAMPLE_CHECKSUMS.get(1), HEX.formatHex(Arrays.copyOfRange(version1, 69, 101)));
        assertEquals(EXAMPLE_CHECKSUMS.get(2), HEX.formatHex(Arrays.copyOfRange(version2, 69, 101)));
        assertEquals(EXAMPLE_DEVICE_ID, SpecKeyFile.read(version1).deviceId());
        Files.write(keyFile, version1);

        DeviceKeys device = KeptRecord.open(keyFile).keys();

        assertEquals(EXAMPLE_DEVICE_ID, device.deviceId());
        assertArrayEquals(version2, Files.readAllBytes(keyFile), "only the version byte and the checksum change");
        assertTrue(Files.isRegularFile(recordFile));
    }

    @Test
    void aKeyFileOfVersionTwoWithoutItsRecordIsRefusedAndNoRecordIsMade() throws Exception {
        byte[] version2 = SpecKeyFile.write(2, EXAMPLE_SIGNING_PRIVATE_KEY, EXAMPLE_AGREEMENT_PRIVATE_KEY);
        Files.write(keyFile, version2);

        DeviceRecordException refused = assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile));

        assertTrue(refused.getMessage().startsWith("the device record " + recordFile + " is missing"), refused.getMessage());
        assertFalse(Files.exists(recordFile));
        assertArrayEquals(version2, Files.readAllBytes(keyFile));
    }

    @Test
    void damagedShortAndUnknownFilesAreRefusedByBothReadersForTheDocumentsReasonAndLeftAsTheyAre() throws Exception {
        byte[] good = SpecKeyFile.write(2, EXAMPLE_SIGNING_PRIVATE_KEY, EXAMPLE_AGREEMENT_PRIVATE_KEY);
        byte[] flipped = good.clone();
        flipped[10] ^= 0x01;
        byte[] otherMagic = withChecksum(good, 3, (byte) 'X');
        byte[] version3 = withChecksum(good, 4, (byte) 3);
        Map<byte[], String> reasons = Map.of(
                flipped, "its checksum does not match its content",
                Arrays.copyOf(good, 100), "it has 100 bytes, a key file 101",
                Arrays.copyOf(good, 102), "it has 102 bytes, a key file 101",
                otherMagic, "it does not start with the key file's magic",
                version3, "it has version 3");
        for (Map.Entry<byte[], String> bad : reasons.entrySet()) {
            Files.write(keyFile, bad.getKey());

            IllegalArgumentException bySpec = assertThrows(IllegalArgumentException.class, () -> SpecKeyFile.read(bad.getKey()));
            KeyFileException byDevice = assertThrows(KeyFileException.class, () -> KeptRecord.open(keyFile));

            assertEquals(bad.getValue(), bySpec.getMessage());
            assertTrue(byDevice.getMessage().startsWith("the device key file " + keyFile + " is damaged (" + bad.getValue()),
                    byDevice.getMessage());
            assertArrayEquals(bad.getKey(), Files.readAllBytes(keyFile));
            assertFalse(Files.exists(recordFile));
        }
    }

    @Test
    void aForeignKeyFileBesideThisHomesRecordIsRefusedByTheRecordAndBothAreLeftAsTheyAre() throws Exception {
        KeptRecord.open(keyFile);
        byte[] record = Files.readAllBytes(recordFile);
        byte[] foreign = SpecKeyFile.write(2, randomBytes(), randomBytes());
        Files.write(keyFile, foreign);

        DeviceRecordException refused = assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile));

        assertTrue(refused.getMessage().contains("it was not written by this device's key"), refused.getMessage());
        assertArrayEquals(foreign, Files.readAllBytes(keyFile));
        assertArrayEquals(record, Files.readAllBytes(recordFile));
    }

    /** {@code file} with byte {@code offset} set to {@code value} and its checksum made to match again. */
    private static byte[] withChecksum(byte[] file, int offset, byte value) {
        byte[] changed = file.clone();
        changed[offset] = value;
        System.arraycopy(sha256(Arrays.copyOf(changed, SpecKeyFile.CHECKED_LENGTH)), 0, changed, SpecKeyFile.CHECKED_LENGTH,
                SpecKeyFile.CHECKSUM_LENGTH);
        return changed;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A device key file as docs/device-key.md sections 2 to 4 describe it, and nothing else. */
    private record SpecKeyFile(int version, byte[] signingPrivateKey, byte[] agreementPrivateKey) {

        private static final byte[] MAGIC = {0x4C, 0x42, 0x44, 0x4B};
        static final int CHECKED_LENGTH = 69;
        static final int CHECKSUM_LENGTH = 32;
        private static final int LENGTH = 101;

        /** Section 3, in its order. */
        static SpecKeyFile read(byte[] file) {
            if (file.length != LENGTH) {
                throw new IllegalArgumentException("it has " + file.length + " bytes, a key file " + LENGTH);
            }
            if (!Arrays.equals(sha256(Arrays.copyOf(file, CHECKED_LENGTH)), Arrays.copyOfRange(file, CHECKED_LENGTH, LENGTH))) {
                throw new IllegalArgumentException("its checksum does not match its content");
            }
            if (!Arrays.equals(MAGIC, Arrays.copyOf(file, 4))) {
                throw new IllegalArgumentException("it does not start with the key file's magic");
            }
            int version = Byte.toUnsignedInt(file[4]);
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("it has version " + version);
            }
            return new SpecKeyFile(version, Arrays.copyOfRange(file, 5, 37), Arrays.copyOfRange(file, 37, 69));
        }

        /** Section 2. */
        static byte[] write(int version, byte[] signingPrivateKey, byte[] agreementPrivateKey) {
            byte[] file = new byte[LENGTH];
            System.arraycopy(MAGIC, 0, file, 0, 4);
            file[4] = (byte) version;
            System.arraycopy(signingPrivateKey, 0, file, 5, 32);
            System.arraycopy(agreementPrivateKey, 0, file, 37, 32);
            System.arraycopy(sha256(Arrays.copyOf(file, CHECKED_LENGTH)), 0, file, CHECKED_LENGTH, CHECKSUM_LENGTH);
            return file;
        }

        /** Section 4: RFC 8032 5.1.5. */
        byte[] signingPublicKey() {
            byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePublicKey(signingPrivateKey, 0, publicKey, 0);
            return publicKey;
        }

        /** Section 4: X25519(k, 9), which clamps k. */
        byte[] agreementPublicKey() {
            byte[] publicKey = new byte[X25519.POINT_SIZE];
            X25519.scalarMultBase(agreementPrivateKey, 0, publicKey, 0);
            return publicKey;
        }

        /** Section 4: base64url, no padding, of the first 16 bytes of SHA-256(signing public key || agreement public key). */
        String deviceId() {
            byte[] both = new byte[64];
            System.arraycopy(signingPublicKey(), 0, both, 0, 32);
            System.arraycopy(agreementPublicKey(), 0, both, 32, 32);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256(both), 16));
        }
    }
}
