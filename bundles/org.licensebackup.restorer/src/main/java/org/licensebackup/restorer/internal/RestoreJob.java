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
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;
import org.licensebackup.store.StoreTransaction;

/**
 * Restores a backup, all or nothing: every license goes into one store transaction, committed only
 * after the reader has checked the whole file and the license management service has made the
 * session's re-bindings count, so a damaged backup, a cancel or an unreachable service leaves the
 * store as it was, and the restore can run again.
 */
final class RestoreJob extends BackupReadingJob {

    private final RestoreOptions options;
    private StoreTransaction transaction;
    private Instant now;

    RestoreJob(RunningOperation operation, Collaborators with, Path directory, RestoreOptions options,
            SignatureChecker signatures, int batchSize) {
        super(operation, with, directory, signatures, batchSize);
        this.options = options;
    }

    @Override
    void check(BackupHeader header) {
        if (!header.deviceId().equals(deviceId) && !options.rebindConsent()) {
            throw new BackupRestoreException(ErrorCode.REBIND_NOT_CONSENTED, "the backup was made on device "
                    + header.deviceId() + "; restoring it re-binds its licenses to this device, which needs the host's consent");
        }
    }

    @Override
    void withBackup(BackupReader reader, BackupHeader header, RestoreSession session) throws Exception {
        now = clock.instant();
        try (StoreTransaction opened = with.store().begin()) {
            transaction = opened;
            if (!sourceDeviceId.equals(deviceId)) {
                // opened through the service, so the backup names one, with the escrow made for it
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
    boolean checksSignaturesOfLicensesToRebind() {
        return false;
    }

    @Override
    void accept(List<License> own, List<License> toRebind, RestoreSession session) {
        List<License> restored = new ArrayList<>(own.size() + toRebind.size());
        for (License license : own) {
            License decided = decide(license);
            if (decided != null) {
                restored.add(decided);
                tally.succeeded++;
            }
        }
        List<License> rebinding = new ArrayList<>(toRebind.size());
        for (License license : toRebind) {
            License decided = decide(license);
            if (decided != null) {
                rebinding.add(decided);
            }
        }
        if (!rebinding.isEmpty()) {
            rebind(rebinding, session, restored);
        }
        transaction.put(restored);
    }

    /** The license with the record of use to restore, or null when the store keeps what it has. */
    private License decide(License license) {
        RestoreDecision decision = with.policy().decideRestore(license, transaction.find(license.keyId()), now);
        if (decision instanceof RestoreDecision.Restore restore) {
            return license.withUsage(restore.usage());
        }
        if (decision instanceof RestoreDecision.Reject reject) {
            leaveOut(license, reject.reason());
        } else {
            tally.unchanged++;
        }
        return null;
    }

    private void rebind(List<License> licenses, RestoreSession session, List<License> restored) {
        List<Rebinding> answers = session.rebind(licenses);
        for (int i = 0; i < answers.size(); i++) {
            Rebinding answer = answers.get(i);
            if (answer instanceof Rebinding.Rebound rebound) {
                restored.add(rebound.license());
                tally.succeeded++;
            } else if (answer instanceof Rebinding.Refused refused) {
                leaveOut(licenses.get(i), reasonFor(refused.refusal()), refused.supportUrl().orElse(""));
            }
        }
    }

    static Reason reasonFor(Rebinding.Refusal refusal) {
        return switch (refusal) {
            case DEVICE_LIMIT_REACHED -> Reason.DEVICE_LIMIT_REACHED;
            case NOT_GENUINE -> Reason.SIGNATURE_INVALID;
        };
    }
}
