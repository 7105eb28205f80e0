package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.BackupSigner;
import org.licensebackup.format.BackupWriter;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;

/** Backups are checked before anything is written, licenses are checked one by one, and state never rolls back. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackupIntegrityIT extends RestorerTestSupport {

    @Test
    public void verifyChecksThisDevicesOwnBackupOfflineAndCountsWhatARestoreWouldTakeWithoutTouchingTheStore()
            throws Exception {
        fill(store, issuer, "Song ", 6, BACKUP_ALLOWED);
        putAlteredLicense();
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        List<License> before = keyIdsAndStates();
        EventRecorder recorder = recordEvents(EventTopics.VERIFY_ALL);

        Operation verify = restorer().verify(directory);
        Report report = awaitReport(verify);
        recorder.await(EventTopics.VERIFY_END, OPERATION_TIMEOUT);

        assertEquals(7, report.considered());
        assertEquals(6, report.succeeded());
        assertEquals(Map.of(Reason.SIGNATURE_INVALID, 1L), report.leftOutByReason());
        List<Event> events = eventsOf(recorder, verify);
        // this device's own backup: it opens it alone, with no session to connect to
        assertEquals(EventTopics.VERIFY_BEGIN, events.get(0).getTopic());
        assertTrue(recorder.events(EventTopics.VERIFY_CONNECTING).isEmpty());
        assertEquals("Altered X", recorder.events(EventTopics.VERIFY_REJECTED_LICENSE).get(0).getProperty(EventProperties.TITLE));
        assertEquals(EventTopics.VERIFY_END, events.get(events.size() - 1).getTopic());
        assertEquals(before, keyIdsAndStates());
    }

    @Test
    public void aDamagedBackupIsRefusedAsCorruptBeforeAnythingIsWritten() throws Exception {
        fill(store, issuer, "Song ", 50, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        Path backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        try (RandomAccessFile file = new RandomAccessFile(backupFile.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int original = file.read();
            file.seek(middle);
            file.write(original ^ 0x40);
        }
        clear(store);

        awaitFailure(restorer().verify(directory), ErrorCode.BACKUP_CORRUPT);
        awaitFailure(restorer().restore(directory, RestoreOptions.defaults()), ErrorCode.BACKUP_CORRUPT);
        assertEquals(0, store.count());
    }

    /**
     * A stranger's backup for this device's agreement key (public, in every backup this device
     * makes), of licenses his own issuer bound to this device: neither restored nor verified as this
     * device's own, nor taken to the service; refused as fraud with the store as it was.
     */
    @Test
    public void aBackupThatNamesThisDevicesKeyButAStrangerSignedIsRefusedAsFraudBeforeAnythingIsWritten() throws Exception {
        List<License> held = fill(store, issuer, "Song ", 3, BACKUP_ALLOWED);
        DeviceIdentity device = device();
        RawKeyPair stranger = Signatures.generate();
        Issuer strangersIssuer = Issuer.generate("Stranger's Issuer");
        Path directory = freshDirectory();
        try (BackupWriter writer = BackupWriter.create(directory.resolve(BackupRestorer.BACKUP_FILE_NAME), false,
                DeviceIds.of(stranger.publicKey(), device.agreementPublicKey()), signer(stranger), device.agreementPublicKey(), null,
                Instant.now())) {
            for (int n = 0; n < 4; n++) {
                writer.write(new BackupRecord(LicenseCodec.encode(strangersIssuer.issue(LicenseSpec.of("Planted " + n, BACKUP_ALLOWED),
                        device.deviceId(), device.agreementPublicKey()))));
            }
            writer.commit();
        }
        EventRecorder recorder = recordEvents(EventTopics.RESTORE_ALL, EventTopics.VERIFY_ALL);

        BackupRestoreException restore = awaitFailure(restorer().restore(directory, RestoreOptions.withRebindConsent()),
                ErrorCode.RESTORE_FRAUD);
        BackupRestoreException verify = awaitFailure(restorer().verify(directory), ErrorCode.RESTORE_FRAUD);
        recorder.await(EventTopics.VERIFY_END, OPERATION_TIMEOUT);

        for (BackupRestoreException refused : List.of(restore, verify)) {
            assertTrue(refused.getMessage(), refused.getMessage().contains("the backup claims to be this device's (" + device.deviceId()
                    + "), but is not signed by it: its signing key is " + Base64.getEncoder().encodeToString(stranger.publicKey())));
        }
        assertTrue(recorder.events(EventTopics.RESTORE_CONNECTING).isEmpty());
        assertTrue(recorder.events(EventTopics.VERIFY_CONNECTING).isEmpty());
        assertEquals(keyIds(held), keyIds(store));
    }

    private static BackupSigner signer(RawKeyPair keys) {
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

    @Test
    public void licensesWhoseIssuerSignatureFailsOrIsNotTrustedAreRefusedAndReportedOnANewDevice() throws Exception {
        List<License> genuine = fill(store, issuer, "Genuine ", 4, BACKUP_ALLOWED);
        putAlteredLicense();
        fill(store, Issuer.generate("Counterfeiter"), "Counterfeit", 1, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        becomeANewDevice();
        clear(store);
        EventRecorder recorder = recordEvents(EventTopics.RESTORE_REJECTED_LICENSE, EventTopics.RESTORE_END);

        Report report = awaitReport(restorer().restore(directory, RestoreOptions.withRebindConsent()));
        recorder.await(EventTopics.RESTORE_END, OPERATION_TIMEOUT);

        assertEquals(4, report.succeeded());
        assertEquals(Map.of(Reason.SIGNATURE_INVALID, 2L), report.leftOutByReason());
        assertEquals(keyIds(genuine), keyIds(store));
        Set<String> rejectedTitles = recorder.events(EventTopics.RESTORE_REJECTED_LICENSE).stream()
                .peek(event -> assertEquals("SIGNATURE_INVALID", event.getProperty(EventProperties.REASON)))
                .map(event -> (String) event.getProperty(EventProperties.TITLE)).collect(Collectors.toSet());
        assertEquals(Set.of("Altered X", "Counterfeit0"), rejectedTitles);
    }

    @Test
    public void licensesOfEveryRightsCombinationComeBackAsTheyWere() throws Exception {
        DeviceIdentity device = device();
        Instant now = Instant.now();
        List<License> issued = new ArrayList<>();
        for (int combination = 0; combination < 32; combination++) {
            Rights rights = BACKUP_ALLOWED;
            Usage usage = Usage.NONE;
            if ((combination & 1) != 0) {
                rights = rights.withNotBefore(now.plus(Duration.ofDays(1)));
            }
            if ((combination & 2) != 0) {
                rights = rights.withNotAfter(now.plus(Duration.ofDays(30)));
            }
            if ((combination & 4) != 0) {
                rights = rights.withValidAfterFirstUse(Duration.ofHours(48).plusMillis(1));
                usage = new Usage(0, 0, now.minusSeconds(60));
            }
            if ((combination & 8) != 0) {
                rights = rights.withPlayCount(10);
                usage = new Usage(3, usage.copiesUsed(), usage.firstUsedAt() == null ? now.minusSeconds(5) : usage.firstUsedAt());
            }
            if ((combination & 16) != 0) {
                rights = rights.withCopyCount(2);
                usage = new Usage(usage.playsUsed(), 1, usage.firstUsedAt() == null ? now.minusSeconds(5) : usage.firstUsedAt());
            }
            issued.add(issuer.issue(LicenseSpec.of("Rights " + combination, rights).withUsage(usage), device.deviceId(),
                    device.agreementPublicKey()));
        }
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(issued);
            transaction.commit();
        }
        Path directory = freshDirectory();
        assertEquals(32, awaitReport(restorer().backup(directory, BackupOptions.defaults())).succeeded());
        clear(store);

        assertEquals(32, awaitReport(restorer().restore(directory, RestoreOptions.defaults())).succeeded());

        for (License license : issued) {
            assertEquals(license, store.find(license.keyId()).orElseThrow());
        }
    }

    @Test
    public void aRestoreNeverGivesBackPlaysAlreadyUsed() throws Exception {
        DeviceIdentity device = device();
        Instant firstPlay = Instant.now().minusSeconds(600);
        License backedUp = issuer.issue(LicenseSpec.of("Five plays", BACKUP_ALLOWED.withPlayCount(5))
                .withUsage(new Usage(1, 0, firstPlay)), device.deviceId(), device.agreementPublicKey());
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(backedUp));
            transaction.commit();
        }
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        License playedOn = backedUp.withUsage(new Usage(4, 0, firstPlay));
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(playedOn));
            transaction.commit();
        }

        Report report = awaitReport(restorer().restore(directory, RestoreOptions.defaults()));

        assertEquals(Map.of(Reason.NEWER_IN_STORE, 1L), report.leftOutByReason());
        assertEquals(playedOn, store.find(backedUp.keyId()).orElseThrow());
        assertTrue(store.find(backedUp.keyId()).orElseThrow().rights().playsLeft(playedOn.usage()).getAsInt() == 1);
    }

    /** A license of the trusted issuer whose title was changed after signing. */
    private void putAlteredLicense() {
        DeviceIdentity device = device();
        License altered = withAlteredTitle(issuer.issue(LicenseSpec.of("Altered", BACKUP_ALLOWED), device.deviceId(),
                device.agreementPublicKey()));
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(altered));
            transaction.commit();
        }
    }

    private List<License> keyIdsAndStates() {
        try (var licenses = store.licenses()) {
            return licenses.toList();
        }
    }

    /** The same license with one letter of its title changed after signing: the signature no longer covers it. */
    private static License withAlteredTitle(License license) {
        byte[] encoded = LicenseCodec.encode(license);
        String text = new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Altered") + "Altered".length();
        byte[] forged = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, forged, 0, at);
        forged[at] = ' ';
        forged[at + 1] = 'X';
        System.arraycopy(encoded, at, forged, at + 2, encoded.length - at);
        return reencodeWithLongerTitle(forged, at);
    }

    /** Fixes the length fields that the two extra title bytes changed, leaving the signature as it was. */
    private static License reencodeWithLongerTitle(byte[] forged, int titleEnd) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(forged);
        buffer.putInt(1, buffer.getInt(1) + 2);
        int titleLengthAt = titleEnd - "Altered".length() - 2;
        buffer.putShort(titleLengthAt, (short) (buffer.getShort(titleLengthAt) + 2));
        return LicenseCodec.decode(forged);
    }
}
