package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.license.License;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;
import org.osgi.service.log.Logger;

/**
 * Checks a backup as a restore would, to the last byte and signature, and counts what a restore
 * would take, asking the license management service where each license from another device stands
 * against its device limit; its session reserves and commits nothing, and the store is not read or
 * written.
 */
final class VerifyJob extends BackupReadingJob {

    private Instant now;
    /** Where what this verify found is kept, for listings; null: nowhere. */
    private final VerifyRecords records;

    VerifyJob(RunningOperation operation, Collaborators with, Path directory, int batchSize, VerifyRecords records) {
        super(operation, with, directory, batchSize);
        this.records = records;
    }

    @Override
    void withBackup(BackupReader reader, BackupHeader header, RestoreSession session) throws Exception {
        now = clock.instant();
        readLicenses(reader, session);
    }

    @Override
    boolean checksSignaturesOfLicensesToRebind() {
        return true;
    }

    @Override
    void accept(List<License> own, List<License> toRebind, RestoreSession session) {
        own.stream().filter(this::rightsAllowRestore).forEach(license -> tally.succeeded++);
        List<License> candidates = toRebind.stream().filter(this::rightsAllowRestore).toList();
        if (candidates.isEmpty()) {
            return;
        }
        List<Allowance> allowances = session.allowances(candidates);
        for (int i = 0; i < candidates.size(); i++) {
            Allowance allowance = allowances.get(i);
            if (allowance.allowsThisDevice()) {
                tally.succeeded++;
                tally.devicesLeft(allowance.remaining());
            } else {
                leaveOut(candidates.get(i), Reason.DEVICE_LIMIT_REACHED);
            }
        }
    }

    /** Keeps what this verify found, for listings. */
    @Override
    void ended(ErrorCode error) {
        if (backupFile == null || records == null) {
            return;
        }
        try {
            records.record(backupFile, Optional.ofNullable(error));
        } catch (IOException | RuntimeException e) {
            Logger log = with.logger();
            if (log != null) {
                log.info("{}: could not keep what the verify of {} found: {}", operation.id(), backupFile, e.toString());
            }
        }
    }

    private boolean rightsAllowRestore(License license) {
        if (with.policy().decideRestore(license, Optional.empty(), now) instanceof RestoreDecision.Reject reject) {
            leaveOut(license, reject.reason());
            return false;
        }
        return true;
    }
}
