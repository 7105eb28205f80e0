package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.BackupSigner;
import org.licensebackup.format.BackupWriter;
import org.licensebackup.format.ServiceRecipient;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;

/**
 * Streams the store into a new backup file: each license the rights policy lets go, as it is, with
 * the device's key escrowed once for the license management service.
 */
final class BackupJob extends Job {

    private final Path directory;
    private final BackupOptions options;

    BackupJob(RunningOperation operation, Collaborators with, Path directory, BackupOptions options) {
        super(operation, with);
        this.directory = directory;
        this.options = options;
    }

    @Override
    void work() throws Exception {
        backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        DeviceIdentity device = with.device();
        sourceDeviceId = device.deviceId();
        total = with.store().count();
        events.begin(backupFile, total);
        Instant now = clock.instant();
        byte[] serviceKey = with.licenseManagement().backupRecipientKey();
        // the LMS SPI does not give the service's signing key, so the backup cannot name it yet
        ServiceRecipient service = ServiceRecipient.withoutSigningKey(serviceKey, device.escrowAgreementKey(serviceKey));
        try (BackupWriter writer = BackupWriter.create(backupFile, options.overwrite(), sourceDeviceId,
                deviceSigner(device), device.agreementPublicKey(), service, now);
                Stream<License> licenses = with.store().licenses()) {
            Iterator<License> iterator = licenses.iterator();
            while (iterator.hasNext()) {
                checkCancelled();
                License license = iterator.next();
                tally.considered++;
                Optional<Reason> exclusion = whyExcluded(license, now);
                if (exclusion.isPresent()) {
                    leaveOut(license, exclusion.get());
                } else {
                    writer.write(new BackupRecord(LicenseCodec.encode(license)));
                    tally.succeeded++;
                }
                bytes = writer.bytesWritten();
                events.progress(tally.considered, total, bytes, license.keyId()::toString);
            }
            checkCancelled();
            writer.commit();
            bytes = writer.bytesWritten();
        }
    }

    private Optional<Reason> whyExcluded(License license, Instant now) {
        Optional<Reason> byRights = with.policy().excludeFromBackup(license, now);
        if (byRights.isPresent()) {
            return byRights;
        }
        // Only this device's content keys can be re-bound through its escrowed key.
        return license.grant().deviceId().equals(sourceDeviceId) ? Optional.empty() : Optional.of(Reason.BOUND_TO_ANOTHER_DEVICE);
    }

    private static BackupSigner deviceSigner(DeviceIdentity device) {
        return new BackupSigner() {
            @Override
            public byte[] publicKey() {
                return device.signingPublicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return device.sign(message);
            }
        };
    }
}
