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
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.ServiceKeys;

/**
 * Streams the store into a new backup file: each license the rights policy lets go, as it is. The
 * file key is wrapped for this device, which can then restore it alone, and, when the host has a
 * license management service, for that service too, with the device's key escrowed once for it.
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
        ServiceRecipient service = serviceRecipient(device);
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

    /**
     * The license management service that the backup is also for, so that another device can restore
     * it; null when the host has none, and then only this device can.
     */
    private ServiceRecipient serviceRecipient(DeviceIdentity device) {
        LicenseManagementService service = with.licenseManagement();
        if (service == null) {
            return null;
        }
        ServiceKeys keys = service.keys();
        return ServiceRecipient.of(keys.agreementKey(), keys.signingKey(), device.escrowAgreementKey(keys.agreementKey()));
    }

    private Optional<Reason> whyExcluded(License license, Instant now) {
        Optional<Reason> byRights = with.policy().excludeFromBackup(license, now);
        if (byRights.isPresent()) {
            return byRights;
        }
        // The backup is this device's own: it is both the device writing and the device of the backup.
        return with.policy().binding(license, sourceDeviceId, sourceDeviceId).whyLeftOut();
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
