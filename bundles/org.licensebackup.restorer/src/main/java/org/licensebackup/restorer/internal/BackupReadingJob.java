package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupReader;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.RestoreSession;

/**
 * What a restore and a verify share: a session with the license management service around the
 * work, and reading a backup's licenses in batches. A batch is split into the licenses bound to
 * this device, whose issuers' signatures are checked here on all cores, and those bound to the
 * device that made the backup, which only the service can re-bind; a license bound to neither is
 * left out here.
 */
abstract class BackupReadingJob extends Job {

    private final Path directory;
    private final SignatureChecker signatures;
    private final int batchSize;
    String deviceId;

    BackupReadingJob(RunningOperation operation, Collaborators with, Path directory, SignatureChecker signatures,
            int batchSize) {
        super(operation, with);
        this.directory = directory;
        this.signatures = signatures;
        this.batchSize = batchSize;
    }

    /** The job's work within the session; {@link #readLicenses} reads the backup. */
    abstract void withSession(RestoreSession session) throws Exception;

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
        backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        if (!Files.isRegularFile(backupFile)) {
            throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup at " + backupFile);
        }
        DeviceIdentity device = with.device();
        deviceId = device.deviceId();
        events.connecting();
        RestoreSession session = with.licenseManagement().connect(device);
        try {
            withSession(session);
        } finally {
            events.disconnecting();
            session.close();
        }
    }

    BackupReader openBackup(RestoreSession session) throws IOException {
        BackupReader reader = BackupReader.open(backupFile, session::unwrapFileKey);
        sourceDeviceId = reader.header().deviceId();
        total = reader.header().recordCount();
        return reader;
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
                batch.add(LicenseCodec.decode(record.get().license()));
            }
            if (batch.size() == batchSize || !more && !batch.isEmpty()) {
                handle(batch, session);
                bytes = reader.bytesRead();
                KeyId last = batch.get(batch.size() - 1).keyId();
                events.progress(tally.considered, total, bytes, last::toString);
                batch.clear();
            }
        }
        checkCancelled();
        bytes = reader.bytesRead();
    }

    private void handle(List<License> batch, RestoreSession session) {
        boolean fromAnotherDevice = !sourceDeviceId.equals(deviceId);
        List<License> checkedHere = new ArrayList<>(batch.size());
        List<License> toRebind = new ArrayList<>();
        for (License license : batch) {
            tally.considered++;
            String boundTo = license.grant().deviceId();
            boolean rebinds = fromAnotherDevice && boundTo.equals(sourceDeviceId);
            if (!rebinds && !boundTo.equals(deviceId)) {
                leaveOut(license, Reason.BOUND_TO_ANOTHER_DEVICE);
            } else if (rebinds && !checksSignaturesOfLicensesToRebind()) {
                toRebind.add(license);
            } else {
                checkedHere.add(license);
            }
        }
        boolean[] genuine = signatures.check(checkedHere, session::trusts);
        List<License> own = new ArrayList<>(checkedHere.size());
        for (int i = 0; i < genuine.length; i++) {
            License license = checkedHere.get(i);
            if (!genuine[i]) {
                leaveOut(license, Reason.SIGNATURE_INVALID);
            } else if (license.grant().deviceId().equals(deviceId)) {
                own.add(license);
            } else {
                toRebind.add(license);
            }
        }
        accept(own, toRebind, session);
    }
}
