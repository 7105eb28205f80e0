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
 * work, and reading a backup's licenses in batches whose issuers' signatures are checked on all
 * cores. A license that is not genuine, or bound to neither the backing-up device nor this one, is
 * left out here; the others go to the job.
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

    /** One genuine license, bound to the backing-up device or this one. */
    abstract void accept(License license, RestoreSession session);

    /** The end of a batch of licenses handed to {@link #accept}. */
    void endOfBatch() {
    }

    @Override
    final void work() throws Exception {
        backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        if (!Files.isRegularFile(backupFile)) {
            throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup at " + backupFile);
        }
        DeviceIdentity device = with.device();
        deviceId = device.deviceId();
        events.connecting();
        RestoreSession session = with.licenseManagement().connect(deviceId, device.agreementPublicKey());
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
        total = reader.recordCount();
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
        boolean[] genuine = signatures.check(batch, session::trusts);
        for (int i = 0; i < batch.size(); i++) {
            License license = batch.get(i);
            tally.considered++;
            String boundTo = license.grant().deviceId();
            if (!genuine[i]) {
                leaveOut(license, Reason.SIGNATURE_INVALID);
            } else if (!boundTo.equals(sourceDeviceId) && !boundTo.equals(deviceId)) {
                leaveOut(license, Reason.BOUND_TO_ANOTHER_DEVICE);
            } else {
                accept(license, session);
            }
        }
        endOfBatch();
    }
}
