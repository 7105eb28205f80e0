package org.licensebackup.device.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.ContentKeyWrapper;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.osgi.framework.BundleContext;

class DeviceIdentityComponentTest {

    private static final byte[] KEY_ID = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_KEY = "content key 16 b".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path folder;

    /** A bundle context with the given framework properties and data area ({@code null}: none). */
    private static BundleContext context(Map<String, String> properties, Path dataArea) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) arguments[0]);
                    case "getDataFile" -> dataArea == null ? null : new File(dataArea.toFile(), (String) arguments[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static DeviceIdentityComponent.Config config(Path keyFile) {
        return (DeviceIdentityComponent.Config) Proxy.newProxyInstance(DeviceIdentityComponent.Config.class.getClassLoader(),
                new Class<?>[] {DeviceIdentityComponent.Config.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "path" -> keyFile.toString();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final DeviceReadiness readiness = new DeviceReadiness();

    private DeviceIdentityComponent device(Path keyFile) {
        return new DeviceIdentityComponent(context(Map.of(), folder), config(keyFile), readiness);
    }

    @Test
    void keepsItsKeysAcrossInstances() {
        Path keyFile = folder.resolve("keys").resolve("device.key");
        DeviceIdentityComponent first = device(keyFile);

        DeviceIdentityComponent again = device(keyFile);

        assertEquals(first.deviceId(), again.deviceId());
        assertArrayEquals(first.signingPublicKey(), again.signingPublicKey());
        assertArrayEquals(first.agreementPublicKey(), again.agreementPublicKey());
        byte[] message = "backup header".getBytes(StandardCharsets.UTF_8);
        assertTrue(Signatures.verify(first.signingPublicKey(), message, again.sign(message)));
    }

    @Test
    void derivesItsIdFromItsPublicKeys() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));

        assertEquals(org.licensebackup.device.DeviceIdentity.deviceIdOf(device.signingPublicKey(), device.agreementPublicKey()), device.deviceId());
        assertTrue(device.deviceId().matches("[A-Za-z0-9_-]{22}"), device.deviceId());
    }

    @Test
    void anotherPathMakesItAnotherDevice() {
        DeviceIdentityComponent device = device(folder.resolve("first.key"));
        String firstId = device.deviceId();
        byte[] firstSigningKey = device.signingPublicKey();

        device.modified(config(folder.resolve("second.key")));

        assertNotEquals(firstId, device.deviceId());
        assertFalse(Arrays.equals(firstSigningKey, device.signingPublicKey()));
        assertTrue(Files.exists(folder.resolve("second.key")));
    }

    @Test
    void theSamePathKeepsTheDevice() {
        Path keyFile = folder.resolve("device.key");
        DeviceIdentityComponent device = device(keyFile);
        String id = device.deviceId();

        device.modified(config(keyFile));

        assertEquals(id, device.deviceId());
    }

    @Test
    void refusesAKeyFileOfTheWrongLengthAndLeavesItAlone() throws Exception {
        Path keyFile = folder.resolve("device.key");
        byte[] truncated = new byte[KeyFile.LENGTH - 1];
        Files.write(keyFile, truncated);

        KeyFileException refused = assertThrows(KeyFileException.class, () -> device(keyFile));

        assertTrue(refused.getMessage().contains(keyFile.toString()), refused.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(keyFile));
    }

    @Test
    void refusesADamagedKeyFileAndItsReadinessSaysWhyAsTheErrorDoes() throws Exception {
        Path keyFile = folder.resolve("device.key");
        device(keyFile);
        byte[] damaged = Files.readAllBytes(keyFile);
        damaged[10] ^= 1;
        Files.write(keyFile, damaged);

        KeyFileException refused = assertThrows(KeyFileException.class, () -> device(keyFile));

        assertEquals(new Readiness(ReadinessService.DEVICE, keyFile.toString(), Readiness.State.FAILED, refused.getMessage()),
                readiness.current());
    }

    @Test
    void itsReadinessIsNotStartedUntilItOpensThenReady() {
        assertEquals(Readiness.State.NOT_STARTED, readiness.current().state());
        Path keyFile = folder.resolve("device.key");
        device(keyFile);
        assertEquals(Readiness.ready(ReadinessService.DEVICE, keyFile.toString()), readiness.current());
    }

    @Test
    void refusesAnotherPathWhoseKeyFileIsMalformedAndStaysTheSameDevice() throws Exception {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        String id = device.deviceId();
        Path malformed = folder.resolve("malformed.key");
        Files.write(malformed, new byte[] {1, 2, 3});

        assertThrows(KeyFileException.class, () -> device.modified(config(malformed)));

        assertEquals(id, device.deviceId());
        assertEquals(Readiness.State.FAILED, readiness.current().state());
    }

    @Test
    void writesItsKeyFileForTheOwnerOnlyAndLeavesNoTemporaryFile() throws Exception {
        assumeTrue(Files.getFileStore(folder).supportsFileAttributeView("posix"));
        Path keyFile = folder.resolve("device.key");

        device(keyFile);

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(folder.resolve("device.record")));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(keyFile, folder.resolve("device.record")), files.sorted().toList());
        }
    }

    @Test
    void unwrapsAContentKeyWrappedForThisDeviceAndLicense() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        byte[] wrapped = ContentKeys.wrap(CONTENT_KEY, KEY_ID, device.deviceId(), device.agreementPublicKey());

        assertArrayEquals(CONTENT_KEY, device.unwrapContentKey(wrapped, KEY_ID));
    }

    @Test
    void refusesAContentKeyWrappedForAnotherDevice() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        DeviceIdentityComponent other = device(folder.resolve("other.key"));
        byte[] wrapped = ContentKeys.wrap(CONTENT_KEY, KEY_ID, other.deviceId(), other.agreementPublicKey());

        assertThrows(CryptoException.class, () -> device.unwrapContentKey(wrapped, KEY_ID));
    }

    @Test
    void refusesAContentKeyWrappedForAnotherLicense() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        byte[] otherKeyId = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = ContentKeys.wrap(CONTENT_KEY, otherKeyId, device.deviceId(), device.agreementPublicKey());

        assertThrows(CryptoException.class, () -> device.unwrapContentKey(wrapped, KEY_ID));
    }

    @Test
    void unwrapsContentKeysOfBothFormsAndOfManyLicensesSharingAnEphemeralKey() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        byte[] version1 = KeyWrap.wrap(CONTENT_KEY, device.agreementPublicKey(), contentKeyContext(KEY_ID, device.deviceId()));
        assertArrayEquals(CONTENT_KEY, device.unwrapContentKey(version1, KEY_ID));

        ContentKeyWrapper session = ContentKeys.wrapper(device.deviceId(), device.agreementPublicKey());
        for (int i = 0; i < 20; i++) {
            byte[] keyId = Arrays.copyOf(KEY_ID, KEY_ID.length);
            keyId[0] = (byte) i;
            assertArrayEquals(CONTENT_KEY, device.unwrapContentKey(session.wrap(CONTENT_KEY, keyId), keyId));
        }
    }

    /** ContentKeys' version 1 context, spelled out as its javadoc gives it. */
    private static byte[] contentKeyContext(byte[] keyId, String deviceId) {
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        context.writeBytes("org.licensebackup content key v1\0".getBytes(StandardCharsets.US_ASCII));
        context.writeBytes(keyId);
        context.writeBytes(deviceId.getBytes(StandardCharsets.UTF_8));
        return context.toByteArray();
    }

    @Test
    void unwrapsAFileKeyItWrappedForItselfInThatContextOnly() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        DeviceIdentityComponent other = device(folder.resolve("other.key"));
        byte[] fileKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] context = "a backup header".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = FileKeyWrap.wrap(fileKey, device.agreementPublicKey(), context);

        assertArrayEquals(fileKey, device.unwrapFileKey(wrapped, context));
        assertThrows(CryptoException.class, () -> other.unwrapFileKey(wrapped, context));
        assertThrows(CryptoException.class, () -> device.unwrapFileKey(wrapped, "another header".getBytes(StandardCharsets.US_ASCII)));
        wrapped[wrapped.length - 1] ^= 1;
        assertThrows(CryptoException.class, () -> device.unwrapFileKey(wrapped, context));
    }

    @Test
    void itsSignaturesVerifyWithItsSigningKeyOnlyForWhatItSigned() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        byte[] message = "backup header".getBytes(StandardCharsets.UTF_8);

        byte[] signature = device.sign(message);

        assertTrue(Signatures.verify(device.signingPublicKey(), message, signature));
        assertFalse(Signatures.verify(device.signingPublicKey(), "another header".getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    void escrowsItsAgreementKeyForTheServiceOnly() {
        DeviceIdentityComponent device = device(folder.resolve("device.key"));
        RawKeyPair service = KeyAgreement.generate();

        byte[] escrow = device.escrowAgreementKey(service.publicKey());

        assertArrayEquals(device.agreementPublicKey(), DeviceKeyEscrow.unwrap(escrow, device.deviceId(), service).publicKey());
        assertThrows(CryptoException.class, () -> DeviceKeyEscrow.unwrap(escrow, device.deviceId(), KeyAgreement.generate()));
    }

    @Test
    void keepsTheKeyFileInTheProductHomeWhenNoPathIsConfigured() {
        Path home = folder.resolve("home");

        assertEquals(home.resolve("device.key"), DeviceIdentityComponent.keyFile(
                context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), folder.resolve("data")), ""));
    }
}
