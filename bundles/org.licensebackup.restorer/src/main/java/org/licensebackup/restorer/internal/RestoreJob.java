package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.license.License;
import org.licensebackup.lms.DeviceLimitException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;
import org.licensebackup.store.StoreTransaction;

/**
 * Restores a backup, all or nothing: every license goes into one store transaction, committed only
 * after the reader has checked the whole file, so a damaged backup or a cancel leaves the store as
 * it was, and the restore can run again.
 */
final class RestoreJob extends BackupReadingJob {

    private final RestoreOptions options;
    private final List<License> restored = new ArrayList<>();
    private StoreTransaction transaction;
    private Instant now;

    RestoreJob(RunningOperation operation, Collaborators with, Path directory, RestoreOptions options,
            SignatureChecker signatures, int batchSize) {
        super(operation, with, directory, signatures, batchSize);
        this.options = options;
    }

    @Override
    void withSession(RestoreSession session) throws Exception {
        now = clock.instant();
        try (BackupReader reader = openBackup(session); StoreTransaction opened = with.store().begin()) {
            transaction = opened;
            BackupHeader header = reader.header();
            if (!sourceDeviceId.equals(deviceId)) {
                if (!options.rebindConsent()) {
                    throw new BackupRestoreException(ErrorCode.REBIND_NOT_CONSENTED, "the backup was made on device "
                            + sourceDeviceId + "; restoring it re-binds its licenses to this device, which needs the host's consent");
                }
                // opened through the service, so the backup names one, with its escrow
                session.acceptDeviceKeyEscrow(sourceDeviceId, header.service().orElseThrow().deviceKeyEscrow());
            }
            readLicenses(reader, session);
            // Allowance first: should the store's commit then fail, running the restore again is
            // free, as the same device again always is.
            session.commit();
            transaction.commit();
        }
    }

    @Override
    void accept(License license, RestoreSession session) {
        RestoreDecision decision = with.policy().decideRestore(license, transaction.find(license.keyId()), now);
        if (decision instanceof RestoreDecision.Restore restore) {
            try {
                restored.add(session.rebind(license).withUsage(restore.usage()));
                tally.succeeded++;
            } catch (DeviceLimitException limitReached) {
                leaveOut(license, Reason.DEVICE_LIMIT_REACHED);
            }
        } else if (decision instanceof RestoreDecision.Reject reject) {
            leaveOut(license, reject.reason());
        } else {
            tally.unchanged++;
        }
    }

    @Override
    void endOfBatch() {
        transaction.put(restored);
        restored.clear();
    }
}
