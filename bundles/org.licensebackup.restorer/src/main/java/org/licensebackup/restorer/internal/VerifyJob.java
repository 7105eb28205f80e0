package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.licensebackup.format.BackupReader;
import org.licensebackup.license.License;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;

/**
 * Checks a backup as a restore would, to the last byte and signature, and counts what a restore
 * would take; its session with the license management service commits nothing, and the store is
 * not read or written.
 */
final class VerifyJob extends BackupReadingJob {

    private Instant now;

    VerifyJob(RunningOperation operation, Collaborators with, Path directory, SignatureChecker signatures,
            int batchSize) {
        super(operation, with, directory, signatures, batchSize);
    }

    @Override
    void withSession(RestoreSession session) throws Exception {
        now = clock.instant();
        try (BackupReader reader = openBackup(session)) {
            readLicenses(reader, session);
        }
    }

    @Override
    void accept(License license, RestoreSession session) {
        if (with.policy().decideRestore(license, Optional.empty(), now) instanceof RestoreDecision.Reject reject) {
            leaveOut(license, reject.reason());
        } else {
            tally.succeeded++;
        }
    }
}
