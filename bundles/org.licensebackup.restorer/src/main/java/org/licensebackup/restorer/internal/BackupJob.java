package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.events.OperationEvents;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.BackupSigner;
import org.licensebackup.format.BackupWriter;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;

/**
 * Streams the store into a new backup file: each license the rights policy lets go, as it is, with
 * the device's key escrowed once for the license management service.
 */
final class BackupJob extends Job {

    private final Path directory;
    private final BackupOptions options;
    private final LicenseStore store;
    private final LicenseManagementService lms;
    private final DeviceIdentity device;
    private final RightsPolicy policy;

    BackupJob(RunningOperation operation, OperationEvents events, int maxListed, Clock clock, Path directory,
            BackupOptions options, LicenseStore store, LicenseManagementService lms, DeviceIdentity device,
            RightsPolicy policy) {
        super(operation, events, maxListed, clock);
        this.directory = directory;
        this.options = options;
        this.store = store;
        this.lms = lms;
        this.device = device;
        this.policy = policy;
    }

    @Override
    void work() throws Exception {
        backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        sourceDeviceId = device.deviceId();
        total = store.count();
        events.begin(backupFile, total);
        Instant now = clock.instant();
        byte[] serviceKey = lms.backupRecipientKey();
        try (BackupWriter writer = BackupWriter.create(backupFile, options.overwrite(), sourceDeviceId,
                deviceSigner(), serviceKey, now, device.escrowAgreementKey(serviceKey));
                Stream<License> licenses = store.licenses()) {
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
                events.progress(tally.considered, total, bytes, license.keyId().toString());
            }
            checkCancelled();
            writer.commit();
            bytes = writer.bytesWritten();
        }
    }

    private Optional<Reason> whyExcluded(License license, Instant now) {
        Optional<Reason> byRights = policy.excludeFromBackup(license, now);
        if (byRights.isPresent()) {
            return byRights;
        }
        // Only this device's content keys can be re-bound through its escrowed key.
        return license.grant().deviceId().equals(sourceDeviceId) ? Optional.empty() : Optional.of(Reason.BOUND_TO_ANOTHER_DEVICE);
    }

    private BackupSigner deviceSigner() {
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
