package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.events.OperationEvents;
import org.licensebackup.license.License;
import org.osgi.service.log.Logger;

/**
 * One backup or restore on the operation thread: the work, and what every operation does around
 * it (counts, cancellation, the END event, the promise).
 */
abstract class Job {

    final RunningOperation operation;
    final Collaborators with;
    final OperationEvents events;
    final Tally tally;
    final Clock clock;
    private final Instant startedAt;

    Path backupFile;
    String sourceDeviceId = "";
    long total;
    long bytes;

    Job(RunningOperation operation, Collaborators with) {
        this.operation = operation;
        this.with = with;
        this.events = with.events();
        this.tally = new Tally(with.maxListed());
        this.clock = with.clock();
        this.startedAt = clock.instant();
    }

    /** Does the operation's work; any exception ends it as FAILED, or CANCELLED. */
    abstract void work() throws Exception;

    /**
     * Runs the work and ends the operation, in this order: {@code release} frees the service for the
     * next operation, the promise is settled, and then the END event is posted, so a host reacting
     * to END can start another at once and finds the operation's promise already done.
     */
    final void run(Runnable release) {
        try {
            work();
        } catch (Throwable failure) {
            BackupRestoreException error = Failures.classify(failure);
            log(error);
            ended(error.code());
            release.run();
            operation.outcome().fail(error);
            OperationStatus status = error.code() == ErrorCode.CANCELLED ? OperationStatus.CANCELLED : OperationStatus.FAILED;
            events.end(status, error.code(), error.getMessage(), total, report());
            if (failure instanceof Error fatal && !(failure instanceof StackOverflowError)) {
                throw fatal;
            }
            return;
        }
        Report report = report();
        ended(null);
        release.run();
        operation.outcome().resolve(report);
        events.end(OperationStatus.COMPLETED, null, null, total, report);
    }

    /** What the operation did so far: its final report, or the counts a failed one got to. */
    private Report report() {
        return tally.report(operation.id(), operation.kind(), backupFile, bytes, sourceDeviceId,
                Duration.between(startedAt, clock.instant()));
    }

    /**
     * The host learns of a failure through the operation's promise and END event; an operator, who
     * sees neither, through the log.
     */
    private void log(BackupRestoreException error) {
        Logger log = with.logger();
        if (log == null) {
            return;
        }
        if (error.code() == ErrorCode.CANCELLED) {
            log.info("{} {} cancelled", operation.kind(), operation.id());
        } else if (error.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("{} {} failed: {}: {}", operation.kind(), operation.id(), error.code(), error.getMessage(), error);
        } else {
            log.warn("{} {} failed: {}: {}", operation.kind(), operation.id(), error.code(), error.getMessage(), error);
        }
    }

    /**
     * Called on the operation thread once the work ended, before the promise resolves.
     *
     * @param error null when it completed
     */
    void ended(ErrorCode error) {
    }

    /** What a job that writes a backup counts and posts as {@link StoreSnapshot} writes it. */
    StoreSnapshot.Listener countingEachLicense() {
        return new StoreSnapshot.Listener() {
            @Override
            public void checkCancelled() {
                Job.this.checkCancelled();
            }

            @Override
            public void excluded(License license, Reason reason) {
                tally.considered++;
                leaveOut(license, reason);
            }

            @Override
            public void written(License license) {
                tally.considered++;
                tally.succeeded++;
            }

            @Override
            public void progress(License license, long written) {
                bytes = written;
                events.progress(tally.considered, total, bytes, license.keyId()::toString);
            }
        };
    }

    void checkCancelled() {
        if (operation.cancelRequested()) {
            throw Failures.cancelled();
        }
    }

    void leaveOut(License license, Reason reason) {
        leaveOut(license, reason, "");
    }

    /** @param supportUrl where the user learns more, as the license management service said; may be empty */
    void leaveOut(License license, Reason reason, String supportUrl) {
        LicenseOutcome outcome = new LicenseOutcome(license.keyId().toString(), license.title(), reason, supportUrl);
        tally.leftOut(outcome);
        events.leftOut(outcome);
    }
}
