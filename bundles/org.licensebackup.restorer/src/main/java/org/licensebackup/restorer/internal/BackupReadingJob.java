package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.ServiceRecipient;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.policy.Binding;
import org.licensebackup.policy.RightsPolicy;

/**
 * What a restore and a verify share: a session with the license management service around the
 * work, and reading a backup's licenses in batches. The rights policy sorts a batch into the
 * licenses bound to this device, whose issuers' signatures it checks, and those bound to the device
 * that made the backup, which only the service can re-bind; a license bound to neither is left out.
 */
abstract class BackupReadingJob extends Job {

    /** A directory (its newest backup is read) or a backup file. */
    private final Path directory;
    private final int batchSize;
    String deviceId;

    BackupReadingJob(RunningOperation operation, Collaborators with, Path directory, int batchSize) {
        super(operation, with);
        this.directory = directory;
        this.batchSize = batchSize;
    }

    /**
     * What the job checks in the backup's header before anything else, the service included; the
     * header's device signature has been checked.
     */
    void check(BackupHeader header) {
    }

    /**
     * What the job does once the header checked out, before it opens the backup and any session with
     * the license management service (which could expire meanwhile).
     */
    void beforeOpening() throws IOException {
    }

    /**
     * The job's work with the backup opened, within the session with the license management service
     * (or, for this device's own backup, {@link OwnBackupSession}); {@link #readLicenses} reads it.
     */
    abstract void withBackup(BackupReader reader, BackupHeader header, RestoreSession session) throws Exception;

    /**
     * Whether the signatures of licenses bound to the backing-up device are checked here too; a
     * restore leaves that to the service, which checks every license it re-binds.
     */
    abstract boolean checksSignaturesOfLicensesToRebind();

    /**
     * One batch of licenses, in backup order within each list.
     *
     * @param own genuine licenses bound to this device
     * @param toRebind licenses bound to the device that made the backup (another one), genuine as
     *     far as {@link #checksSignaturesOfLicensesToRebind()} says
     */
    abstract void accept(List<License> own, List<License> toRebind, RestoreSession session);

    @Override
    final void work() throws Exception {
        DeviceIdentity device = with.device();
        backupFile = BackupFiles.toRead(directory);
        deviceId = device.deviceId();
        // a file made to pass for this device's is refused here, before the store, a safety backup or a service
        try (BackupReader reader = OwnBackups.open(backupFile, device)) {
            BackupHeader header = reader.header();
            sourceDeviceId = header.deviceId();
            check(header);
            beforeOpening();
            if (OwnBackups.madeBy(device, header)) {
                // This device's own backup: it opens it alone, so a user whose store broke restores offline.
                reader.openAsDevice(device::unwrapFileKey);
                total = reader.recordCount();
                withBackup(reader, header, new OwnBackupSession());
            } else {
                throughService(reader, header, device);
            }
        }
    }

    private void throughService(BackupReader reader, BackupHeader header, DeviceIdentity device) throws Exception {
        LicenseManagementService service = with.licenseManagement();
        if (service == null) {
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, "the backup was made on device "
                    + sourceDeviceId + "; opening it here takes a license management service, and none is configured");
        }
        events.connecting();
        RestoreSession session = service.connect(device);
        try {
            requireServiceOfBackup(header, session.serviceKeys());
            reader.openThroughService(session::unwrapFileKey);
            total = reader.recordCount();
            withBackup(reader, header, session);
        } finally {
            events.disconnecting();
            session.close();
        }
    }

    /** The backup names the server it was made for by its key: another one cannot open it, so it is not asked to. */
    private static void requireServiceOfBackup(BackupHeader header, ServiceKeys connected) {
        Optional<byte[]> madeFor = header.service().flatMap(ServiceRecipient::signingKey);
        if (madeFor.isPresent() && !Arrays.equals(madeFor.get(), connected.signingKey())) {
            Base64.Encoder base64 = Base64.getEncoder();
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, "the backup was made for the license"
                    + " management server whose key is " + base64.encodeToString(madeFor.get())
                    + "; the one this host uses has the key " + base64.encodeToString(connected.signingKey()));
        }
    }

    /**
     * Reads every license of the backup; returns only once the reader has checked the whole file,
     * so nothing may be made permanent before.
     */
    void readLicenses(BackupReader reader, RestoreSession session) throws IOException {
        events.begin(backupFile, total);
        List<License> batch = new ArrayList<>(batchSize);
        boolean more = true;
        while (more) {
            checkCancelled();
            Optional<BackupRecord> record = reader.next();
            more = record.isPresent();
            if (more) {
                License license = LicenseCodec.decode(record.get().license());
                batch.add(license);
                // per license read (and checked by the reader), so that the progress rule, not the
                // batch size, decides how often a host hears of it
                events.progress(tally.considered + batch.size(), total, reader.bytesRead(), license.keyId()::toString);
            }
            if (batch.size() == batchSize || !more && !batch.isEmpty()) {
                handle(batch, session);
                bytes = reader.bytesRead();
                batch.clear();
            }
        }
        checkCancelled();
        bytes = reader.bytesRead();
    }

    private void handle(List<License> batch, RestoreSession session) {
        RightsPolicy policy = with.policy();
        List<License> checkedHere = new ArrayList<>(batch.size());
        List<Binding> checkedHereBindings = new ArrayList<>(batch.size());
        List<License> toRebind = new ArrayList<>();
        for (License license : batch) {
            tally.considered++;
            Binding binding = policy.binding(license, deviceId, sourceDeviceId);
            Optional<Reason> leftOut = binding.whyLeftOut();
            if (leftOut.isPresent()) {
                leaveOut(license, leftOut.get());
            } else if (binding == Binding.BACKUP_DEVICE && !checksSignaturesOfLicensesToRebind()) {
                toRebind.add(license);
            } else {
                checkedHere.add(license);
                checkedHereBindings.add(binding);
            }
        }
        boolean[] genuine = policy.genuine(checkedHere, session::trusts);
        List<License> own = new ArrayList<>(checkedHere.size());
        for (int i = 0; i < genuine.length; i++) {
            License license = checkedHere.get(i);
            if (!genuine[i]) {
                leaveOut(license, Reason.SIGNATURE_INVALID);
            } else if (checkedHereBindings.get(i) == Binding.THIS_DEVICE) {
                if (with.record().releasedAt(license).isPresent()) {
                    // given back, so it comes back only through the service, which counts it again
                    leaveOut(license, Reason.RELEASED);
                } else {
                    own.add(license);
                }
            } else {
                toRebind.add(license);
            }
        }
        accept(own, toRebind, session);
    }
}
