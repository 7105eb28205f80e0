package org.licensebackup.restorer.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.DeviceLimitException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;
import org.licensebackup.store.StoreTransaction;

/**
 * Restores a backup through a session with the license management service, all or nothing: every
 * license goes into one store transaction, committed only after the reader has checked the whole
 * file, so a damaged backup or a cancel leaves the store as it was, and the restore can run again.
 */
final class RestoreJob extends Job {

    private final Path directory;
    private final RestoreOptions options;
    private final SignatureChecker signatures;
    private final int batchSize;

    RestoreJob(RunningOperation operation, Collaborators with, Path directory, RestoreOptions options,
            SignatureChecker signatures, int batchSize) {
        super(operation, with);
        this.directory = directory;
        this.options = options;
        this.signatures = signatures;
        this.batchSize = batchSize;
    }

    @Override
    void work() throws Exception {
        backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        if (!Files.isRegularFile(backupFile)) {
            throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup at " + backupFile);
        }
        DeviceIdentity device = with.device();
        String deviceId = device.deviceId();
        events.connecting();
        RestoreSession session = with.licenseManagement().connect(deviceId, device.agreementPublicKey());
        try {
            restoreThrough(session, deviceId);
        } finally {
            events.disconnecting();
            session.close();
        }
    }

    private void restoreThrough(RestoreSession session, String deviceId) throws Exception {
        Instant now = clock.instant();
        try (BackupReader reader = BackupReader.open(backupFile, session::unwrapFileKey);
                StoreTransaction transaction = with.store().begin()) {
            BackupHeader header = reader.header();
            sourceDeviceId = header.deviceId();
            if (!sourceDeviceId.equals(deviceId)) {
                if (!options.rebindConsent()) {
                    throw new BackupRestoreException(ErrorCode.REBIND_NOT_CONSENTED, "the backup was made on device "
                            + sourceDeviceId + "; restoring it re-binds its licenses to this device, which needs the host's consent");
                }
                session.acceptDeviceKeyEscrow(sourceDeviceId, header.deviceKeyEscrow());
            }
            total = header.recordCount();
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
                    restoreBatch(batch, transaction, session, deviceId, now);
                    bytes = reader.bytesRead();
                    events.progress(tally.considered, total, bytes, batch.get(batch.size() - 1).keyId().toString());
                    batch.clear();
                }
            }
            checkCancelled();
            bytes = reader.bytesRead();
            // Allowance first: should the store's commit then fail, running the restore again is
            // free, as the same device again always is.
            session.commit();
            transaction.commit();
        }
    }

    private void restoreBatch(List<License> batch, StoreTransaction transaction, RestoreSession session,
            String deviceId, Instant now) {
        boolean[] genuine = signatures.check(batch, session::trusts);
        List<License> restored = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            License license = batch.get(i);
            tally.considered++;
            String boundTo = license.grant().deviceId();
            if (!genuine[i]) {
                leaveOut(license, Reason.SIGNATURE_INVALID);
            } else if (!boundTo.equals(sourceDeviceId) && !boundTo.equals(deviceId)) {
                leaveOut(license, Reason.BOUND_TO_ANOTHER_DEVICE);
            } else {
                RestoreDecision decision = with.policy().decideRestore(license, transaction.find(license.keyId()), now);
                if (decision instanceof RestoreDecision.Restore restore) {
                    rebind(session, license, restore, restored);
                } else if (decision instanceof RestoreDecision.Reject reject) {
                    leaveOut(license, reject.reason());
                } else {
                    tally.unchanged++;
                }
            }
        }
        transaction.put(restored);
    }

    private void rebind(RestoreSession session, License license, RestoreDecision.Restore restore, List<License> restored) {
        try {
            restored.add(session.rebind(license).withUsage(restore.usage()));
            tally.succeeded++;
        } catch (DeviceLimitException limitReached) {
            leaveOut(license, Reason.DEVICE_LIMIT_REACHED);
        }
    }
}
