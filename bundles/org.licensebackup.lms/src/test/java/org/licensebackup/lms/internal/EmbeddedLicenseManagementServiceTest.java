package org.licensebackup.lms.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.lms.DeviceLimitException;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.RestoreSession;

class EmbeddedLicenseManagementServiceTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final byte[] FILE_KEY_CONTEXT = "backup file key".getBytes();

    @TempDir
    Path folder;

    private final Issuer issuer = Issuer.generate("studio");
    private final LicenseSpec spec = LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true));
    private final List<EmbeddedLicenseManagementService> opened = new ArrayList<>();
    private Device deviceA;
    private EmbeddedLicenseManagementService service;

    /** A device with its X25519 keys, as DeviceIdentity keeps them. */
    private record Device(String id, RawKeyPair keys) {

        static Device named(String id) {
            return new Device(id, KeyAgreement.generate());
        }

        byte[] escrowFor(EmbeddedLicenseManagementService service) {
            return DeviceKeyEscrow.wrap(keys, id, service.backupRecipientKey());
        }

        byte[] unwrap(License license) {
            return ContentKeys.unwrap(license.grant().wrappedContentKey(), license.keyId().bytes(), id, keys);
        }
    }

    @BeforeEach
    void openService() {
        deviceA = Device.named("device-a");
        service = open(settings(LmsSettings.DEFAULT_DEVICE_LIMIT, true));
    }

    @AfterEach
    void closeServices() {
        opened.forEach(EmbeddedLicenseManagementService::close);
    }

    private EmbeddedLicenseManagementService open(LmsSettings settings) {
        EmbeddedLicenseManagementService lms = new EmbeddedLicenseManagementService(
                folder.resolve("state").resolve("lms.mv.db"), settings, Clock.fixed(NOW, ZoneOffset.UTC));
        opened.add(lms);
        return lms;
    }

    private LmsSettings settings(int limit, boolean available) {
        return new LmsSettings(limit, Set.of(Base64.getEncoder().encodeToString(issuer.publicKey())), available);
    }

    private License issuedToA() {
        return issuer.issue(spec, deviceA.id(), deviceA.keys().publicKey());
    }

    private RestoreSession sessionOn(Device device) {
        RestoreSession session = service.connect(device.id(), device.keys().publicKey());
        session.acceptDeviceKeyEscrow(deviceA.id(), deviceA.escrowFor(service));
        return session;
    }

    /** Restores {@code license} onto {@code device} in a committed session. */
    private License restore(License license, Device device) {
        try (RestoreSession session = sessionOn(device)) {
            License rebound = session.rebind(license);
            session.commit();
            return rebound;
        }
    }

    @Test
    void unwrapsAFileKeyWrappedForIt() {
        byte[] fileKey = new byte[32];
        fileKey[0] = 7;
        byte[] wrapped = KeyWrap.wrap(fileKey, service.backupRecipientKey(), FILE_KEY_CONTEXT);

        try (RestoreSession session = service.connect(deviceA.id(), deviceA.keys().publicKey())) {
            assertArrayEquals(fileKey, session.unwrapFileKey(wrapped, FILE_KEY_CONTEXT));
        }
    }

    @Test
    void refusesAFileKeyWrappedForAnotherService() {
        byte[] wrapped = KeyWrap.wrap(new byte[32], KeyAgreement.generate().publicKey(), FILE_KEY_CONTEXT);

        try (RestoreSession session = service.connect(deviceA.id(), deviceA.keys().publicKey())) {
            assertThrows(RestoreFraudException.class, () -> session.unwrapFileKey(wrapped, FILE_KEY_CONTEXT));
        }
    }

    @Test
    void trustsTheConfiguredIssuersAndItsOwnKeyOnly() {
        try (RestoreSession session = service.connect(deviceA.id(), deviceA.keys().publicKey())) {
            assertTrue(session.trusts(issuer.publicKey()));
            assertTrue(session.trusts(service.signingKey()));
            assertFalse(session.trusts(Issuer.generate("pirate").publicKey()));
            assertFalse(session.trusts(null));
        }
    }

    @Test
    void rebindsALicenseToTheSessionsDevice() {
        Device deviceB = Device.named("device-b");
        License backedUp = issuer.issue(spec.withUsage(new Usage(3, 0, NOW.minusSeconds(60))), deviceA.id(), deviceA.keys().publicKey());

        License rebound = restore(backedUp, deviceB);

        LicenseGrant grant = rebound.grant();
        assertEquals(deviceB.id(), grant.deviceId());
        assertEquals(NOW, grant.issuedAt());
        assertEquals(backedUp.grant().rights(), grant.rights());
        assertEquals(backedUp.usage(), rebound.usage());
        assertArrayEquals(spec.contentKey(), deviceB.unwrap(rebound));
        assertArrayEquals(service.signingKey(), rebound.signerKey());
        assertTrue(Signatures.verify(service.signingKey(), rebound.signedBytes(), rebound.signature()));
        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(
                grant.wrappedContentKey(), rebound.keyId().bytes(), deviceB.id(), deviceA.keys()));
    }

    @Test
    void returnsALicenseAlreadyOnTheDeviceAsItIsAndCountsNothing() {
        License license = issuedToA();

        License restored = restore(license, deviceA);

        assertSame(license, restored);
        assertEquals(4, service.remainingAllowance(license.keyId(), deviceA.id()));
    }

    @Test
    void allowsFourUniqueDevicesByDefault() {
        License license = issuedToA();
        restore(license, Device.named("device-b"));
        restore(license, Device.named("device-c"));
        restore(license, Device.named("device-d"));

        assertThrows(DeviceLimitException.class, () -> restore(license, Device.named("device-e")));
        assertEquals(0, service.remainingAllowance(license.keyId(), "device-e"));
    }

    @Test
    void restoresAgainToADeviceItIsOnForFree() {
        License license = issuedToA();
        Device deviceB = Device.named("device-b");
        restore(license, deviceB);
        restore(license, Device.named("device-c"));
        restore(license, Device.named("device-d"));

        License again = restore(license, deviceB);

        assertArrayEquals(spec.contentKey(), deviceB.unwrap(again));
        assertEquals(0, service.remainingAllowance(license.keyId(), deviceB.id()));
    }

    @Test
    void countsTheDeviceALicenseComesFromAndTheOneItGoesTo() {
        License license = issuedToA();
        assertEquals(4, service.remainingAllowance(license.keyId(), "device-b"));

        restore(license, Device.named("device-b"));

        assertEquals(2, service.remainingAllowance(license.keyId(), "device-c"));
    }

    @Test
    void countsRebindingsOnlyOnceCommitted() {
        License license = issuedToA();

        try (RestoreSession session = sessionOn(Device.named("device-b"))) {
            session.rebind(license);
        }

        assertEquals(4, service.remainingAllowance(license.keyId(), "device-b"));
    }

    @Test
    void recordsEveryDeviceThatCopiesOfALicenseComeFromInOneSession() {
        Device deviceC = Device.named("device-c");
        License license = issuedToA();
        License copyOnC = issuer.issue(spec, deviceC.id(), deviceC.keys().publicKey());

        try (RestoreSession session = sessionOn(Device.named("device-b"))) {
            session.acceptDeviceKeyEscrow(deviceC.id(), deviceC.escrowFor(service));
            session.rebind(license);
            session.rebind(copyOnC);
            session.commit();
        }

        assertEquals(1, service.remainingAllowance(license.keyId(), "device-d"));
    }

    @Test
    void refusesANewDeviceBeyondALoweredLimitButNotADeviceTheLicenseIsOn() {
        License license = issuedToA();
        Device deviceB = Device.named("device-b");
        restore(license, deviceB);
        restore(license, Device.named("device-c"));

        service.update(settings(2, true));

        assertThrows(DeviceLimitException.class, () -> restore(license, Device.named("device-d")));
        assertArrayEquals(spec.contentKey(), deviceB.unwrap(restore(license, deviceB)));
    }

    @Test
    void makesASecondSessionRestoringTheSameLicenseWaitForTheFirstsCommit() throws Exception {
        service.update(settings(2, true));

        assertTheSecondOfTwoRacingSessionsExceedsTheLimit(issuedToA());
    }

    @Test
    void makesASecondSessionRestoringTheSameKnownLicenseWaitForTheFirstsCommit() throws Exception {
        service.update(settings(3, true));
        License license = issuedToA();
        restore(license, Device.named("device-x"));

        assertTheSecondOfTwoRacingSessionsExceedsTheLimit(license);
    }

    /** Two sessions restore {@code license}, with room for one more device, to two new devices at once. */
    private void assertTheSecondOfTwoRacingSessionsExceedsTheLimit(License license) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (RestoreSession first = sessionOn(Device.named("device-b"))) {
            first.rebind(license);

            Future<License> second = other.submit(() -> restore(license, Device.named("device-c")));
            Thread.sleep(200);
            first.commit();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
            assertInstanceOf(DeviceLimitException.class, failure.getCause());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void takesANewLimitForNewSessions() {
        License license = issuedToA();
        restore(license, Device.named("device-b"));
        restore(license, Device.named("device-c"));
        restore(license, Device.named("device-d"));

        service.update(settings(5, true));

        restore(license, Device.named("device-e"));
        assertEquals(0, service.remainingAllowance(license.keyId(), "device-f"));
    }

    @Test
    void keepsItsKeysAndBindingsWhenReopened() {
        License license = issuedToA();
        restore(license, Device.named("device-b"));
        byte[] recipientKey = service.backupRecipientKey();
        byte[] signingKey = service.signingKey();
        service.close();
        opened.remove(service);

        service = open(settings(4, true));

        assertArrayEquals(recipientKey, service.backupRecipientKey());
        assertArrayEquals(signingKey, service.signingKey());
        assertEquals(2, service.remainingAllowance(license.keyId(), "device-c"));
    }

    @Test
    void keepsItsStateFileToItsOwner() throws Exception {
        Path stateFile = folder.resolve("state").resolve("lms.mv.db");

        if (Files.getFileStore(stateFile).supportsFileAttributeView("posix")) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(stateFile));
        }
    }

    @Test
    void refusesSessionsWhenUnavailable() {
        service.update(settings(4, false));

        assertThrows(LmsUnavailableException.class, () -> service.connect(deviceA.id(), deviceA.keys().publicKey()));
    }

    @Test
    void refusesToRebindALicenseOfAnUntrustedIssuer() {
        License pirated = Issuer.generate("pirate").issue(spec, deviceA.id(), deviceA.keys().publicKey());

        try (RestoreSession session = sessionOn(Device.named("device-b"))) {
            assertThrows(RestoreFraudException.class, () -> session.rebind(pirated));
        }
    }

    @Test
    void refusesToRebindALicenseWhoseGrantWasAltered() {
        License license = issuedToA();
        LicenseGrant grant = license.grant();
        LicenseGrant altered = new LicenseGrant(grant.keyId(), grant.issuer(), grant.contentId(), grant.title(),
                grant.rights().withCopyCount(99), grant.deviceId(), grant.wrappedContentKey(), grant.issuedAt());
        License tampered = License.of(altered, license.signerKey(), license.signature(), license.usage());

        try (RestoreSession session = sessionOn(Device.named("device-b"))) {
            assertThrows(RestoreFraudException.class, () -> session.rebind(tampered));
        }
    }

    @Test
    void refusesToRebindWithoutTheKeyEscrowOfTheDeviceTheLicenseComesFrom() {
        Device deviceB = Device.named("device-b");
        License license = issuedToA();

        try (RestoreSession session = service.connect(deviceB.id(), deviceB.keys().publicKey())) {
            assertThrows(RestoreFraudException.class, () -> session.rebind(license));
        }
    }

    @Test
    void refusesAKeyEscrowMadeForAnotherService() {
        byte[] foreignEscrow = DeviceKeyEscrow.wrap(deviceA.keys(), deviceA.id(), KeyAgreement.generate().publicKey());

        try (RestoreSession session = service.connect("device-b", KeyAgreement.generate().publicKey())) {
            assertThrows(RestoreFraudException.class, () -> session.acceptDeviceKeyEscrow(deviceA.id(), foreignEscrow));
        }
    }

    @Test
    void refusesAContentKeyThatDoesNotOpenWithTheEscrowedKey() {
        Device impostor = new Device(deviceA.id(), KeyAgreement.generate());
        Device deviceB = Device.named("device-b");

        try (RestoreSession session = service.connect(deviceB.id(), deviceB.keys().publicKey())) {
            session.acceptDeviceKeyEscrow(impostor.id(), impostor.escrowFor(service));
            assertThrows(RestoreFraudException.class, () -> session.rebind(issuedToA()));
        }
    }

    @Test
    void refusesAClosedSession() {
        RestoreSession session = sessionOn(Device.named("device-b"));
        session.close();

        assertThrows(IllegalStateException.class, () -> session.rebind(issuedToA()));
    }
}
