package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.BackupWriter;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.store.LicenseStore;

/**
 * A backup is this device's own, restored offline and trusted as its store's licenses, only when
 * this device's key signed it: one that names this device (its ID, its agreement key) but is signed
 * by a stranger's key is refused as {@link ErrorCode#RESTORE_FRAUD} by restore and verify alike,
 * before the store is read or written, before a safety backup, before any service.
 */
class PassedOffBackupTest {

    /** Where docs/backup-format.md (10.2) puts the header fields a forger changes. */
    private static final int SIGNING_KEY_OFFSET = 60;
    private static final int DEVICE_ID_LENGTH_OFFSET = 124;
    private static final int DEVICE_ID_OFFSET = 125;
    private static final int HEADER_SIGNATURE_OFFSET = 687;
    private static final byte[] HEADER_SIGNATURE_LABEL = "org.licensebackup backup v2 header\0".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    private final JobRunner jobs = new JobRunner();
    private final FakeLicenseService service = new FakeLicenseService();
    private final DeviceIdentity victim = TestDevices.generate();
    /** A device of the stranger's own, whose signing key signs his forgeries. */
    private final DeviceIdentity stranger = TestDevices.generate();
    /** The stranger's own issuer: licenses bound to the victim that no issuer the victim knows made. */
    private final Issuer strangersIssuer = Issuer.generate("Stranger's Issuer");

    @AfterEach
    void closeTheJobRunner() {
        jobs.close();
    }

    @Test
    void aStrangerSignedBackupForThisDevicesAgreementKeyIsRefusedBeforeTheStoreOrAnyService() throws Exception {
        Path forged = strangerSignedFor(victim.agreementPublicKey(), idOfStrangerWithVictimsAgreementKey());
        assertRefusedAsPassedOff(forged, null);
        assertRefusedAsPassedOff(forged, service);
    }

    @Test
    void aStrangerSignedBackupWithThisDevicesIdIsRefusedBeforeTheStoreOrAnyService() throws Exception {
        Path forged = withDeviceId(strangerSignedFor(victim.agreementPublicKey(), idOfStrangerWithVictimsAgreementKey()),
                victim.deviceId());
        assertRefusedAsPassedOff(forged, null);
        assertRefusedAsPassedOff(forged, service);
    }

    /** A third device's ID on the stranger's own keys: the format's rule refuses it, in its own words, as fraud. */
    @Test
    void aBackupWhoseIdIsNotItsKeysIsFraudWhicheverDeviceItNames() throws Exception {
        DeviceIdentity third = TestDevices.generate();
        byte[] strangersAgreementKey = KeyAgreement.generate().publicKey();
        String coherentId = DeviceIds.of(stranger.signingPublicKey(), strangersAgreementKey);
        Path forged = withDeviceId(strangerSignedFor(strangersAgreementKey, coherentId), third.deviceId());
        LicenseStore store = jobs.storeWith(victim, 2);

        BackupRestoreException refused = JobRunner.failure(jobs.restore(victim, store, service, forged,
                RestoreOptions.withRebindConsent()));

        assertEquals(ErrorCode.RESTORE_FRAUD, refused.code());
        assertTrue(refused.getMessage().contains("claims to be device " + third.deviceId()), refused.getMessage());
        assertEquals(List.of(), service.calls);
        assertEquals(2, store.count());
    }

    /** What a stranger signs for himself, with his own agreement key, is another device's backup: the service's to judge. */
    @Test
    void aCoherentBackupOfAnotherDeviceStillGoesToTheService() throws Exception {
        DeviceIdentity other = TestDevices.generate();
        Report report = JobRunner.result(jobs.backup(other, jobs.storeWith(other, 3), service, directory,
                BackupOptions.overwriting()));
        assertEquals(3, report.succeeded());
        service.calls.clear();

        assertEquals(3, JobRunner.result(jobs.restore(victim, jobs.storeWith(victim, 0), service, directory,
                RestoreOptions.withRebindConsent())).succeeded());
        assertEquals("connect", service.calls.get(0));
    }

    @Test
    void aListingDoesNotOpenAPassedOffBackupAsThisDevicesOwn() throws Exception {
        strangerSignedFor(victim.agreementPublicKey(), idOfStrangerWithVictimsAgreementKey());
        List<BackupInfo> listed = BackupFiles.list(directory, victim, null);
        assertEquals(1, listed.size());
        assertEquals(-1, listed.get(0).licenseCount());
    }

    private void assertRefusedAsPassedOff(Path forged, LicenseManagementService withService) throws Exception {
        LicenseStore store = jobs.storeWith(victim, 3);
        List<KeyId> before = JobRunner.keyIds(store);
        service.calls.clear();
        VerifyRecords verified = jobs.verifyRecords();

        BackupRestoreException restore = JobRunner.failure(jobs.restore(victim, store, withService, forged,
                RestoreOptions.withRebindConsent()));
        BackupRestoreException verify = JobRunner.failure(jobs.verify(victim, withService, forged));

        for (BackupRestoreException refused : List.of(restore, verify)) {
            assertEquals(ErrorCode.RESTORE_FRAUD, refused.code());
            String message = refused.getMessage();
            assertTrue(message.contains("the backup claims to be this device's (" + victim.deviceId() + "), but is not signed by it"),
                    message);
            assertTrue(message.contains(Base64.getEncoder().encodeToString(stranger.signingPublicKey())), message);
        }
        assertEquals(before, JobRunner.keyIds(store));
        assertFalse(Files.exists(jobs.safetyDirectory), "a safety backup was written before the refusal");
        assertEquals(List.of(), service.calls);
        assertFalse(jobs.events.names.contains("CONNECTING"), jobs.events.names::toString);
        assertEquals(BackupState.VERIFY_FAILED, verified.found().stateOf(forged));
    }

    /**
     * A backup the stranger signs with his own key for {@code agreementKey} (the victim's, or one of
     * his own), of licenses his issuer bound to the victim: the writer takes only the ID the keys
     * make, so another one is put in afterwards ({@link #withDeviceId}).
     */
    private Path strangerSignedFor(byte[] agreementKey, String deviceId) throws Exception {
        Path file = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        try (BackupWriter writer = BackupWriter.create(file, true, deviceId, StoreSnapshot.deviceSigner(stranger), agreementKey, null,
                Instant.now())) {
            for (int n = 0; n < 4; n++) {
                LicenseSpec planted = LicenseSpec.of("Planted " + n, JobRunner.BACKUP_ALLOWED);
                writer.write(new BackupRecord(LicenseCodec.encode(strangersIssuer.issue(planted, victim.deviceId(),
                        victim.agreementPublicKey()))));
            }
            return writer.commit();
        }
    }

    private String idOfStrangerWithVictimsAgreementKey() {
        return DeviceIds.of(stranger.signingPublicKey(), victim.agreementPublicKey());
    }

    /** {@code file} with another device ID in its header, signed again by the stranger. */
    private Path withDeviceId(Path file, String deviceId) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(bytes, DEVICE_ID_OFFSET, DEVICE_ID_OFFSET + 255, (byte) 0);
        bytes[DEVICE_ID_LENGTH_OFFSET] = (byte) id.length;
        System.arraycopy(id, 0, bytes, DEVICE_ID_OFFSET, id.length);
        byte[] message = ByteBuffer.allocate(HEADER_SIGNATURE_LABEL.length + HEADER_SIGNATURE_OFFSET).put(HEADER_SIGNATURE_LABEL)
                .put(bytes, 0, HEADER_SIGNATURE_OFFSET).array();
        System.arraycopy(stranger.sign(message), 0, bytes, HEADER_SIGNATURE_OFFSET, Signatures.SIGNATURE_LENGTH);
        return Files.write(file, bytes);
    }
}
