package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.policy.RestoreDecision;
import org.licensebackup.store.StoreTransaction;
import org.osgi.service.log.Logger;

/**
 * Restores a backup, all or nothing: every license goes into one store transaction, committed only
 * after the reader has checked the whole file and the license management service has made the
 * session's re-bindings count, so a damaged backup, a cancel or an unreachable service leaves the
 * store as it was, and the restore can run again. Before it writes into a store that holds licenses,
 * it backs that store up into the safety directory ({@link SafetyBackups}).
 */
final class RestoreJob extends BackupReadingJob {

    private final RestoreOptions options;
    private StoreTransaction transaction;
    /** What the device sees of the licenses it restores, for its record once the store has them. */
    private DeviceRecord.Change seen;
    /** Where batches go to the service while the operation thread reads the next: threads of the component's. */
    private final Executor serviceThreads;
    private final int batchesInFlight;
    /** Where a restore into a store that holds licenses first backs them up; null: it does not. */
    private final SafetyBackups safety;
    /** The batches with the service, oldest first: answers are written in the order the backup holds them. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private Instant now;

    /** A batch sent to the service, and its answers to come. */
    private record InFlight(List<License> sent, CompletableFuture<List<Rebinding>> answers) {
    }

    /**
     * @param batchesInFlight the most batches with the service at once, as far as its session takes them
     */
    RestoreJob(RunningOperation operation, Collaborators with, Path directory, RestoreOptions options,
            int batchSize, Executor serviceThreads, int batchesInFlight, SafetyBackups safety) {
        super(operation, with, directory, batchSize);
        this.safety = safety;
        this.options = options;
        this.serviceThreads = serviceThreads;
        this.batchesInFlight = batchesInFlight;
    }

    @Override
    void check(BackupHeader header) {
        if (!header.deviceId().equals(deviceId) && !options.rebindConsent()) {
            throw new BackupRestoreException(ErrorCode.REBIND_NOT_CONSENTED, "the backup was made on device "
                    + header.deviceId() + "; restoring it re-binds its licenses to this device, which needs the host's consent");
        }
    }

    /** The restore is all or nothing, but a store is worth a copy before anything is written into it. */
    @Override
    void beforeOpening() throws IOException {
        if (safety != null && with.store().count() > 0) {
            safety.write(with, clock.instant(), SafetyBackups.quiet(this::checkCancelled));
        }
    }

    @Override
    void withBackup(BackupReader reader, BackupHeader header, RestoreSession session) throws Exception {
        now = clock.instant();
        try (StoreTransaction opened = with.store().begin()) {
            transaction = opened;
            seen = with.record().change();
            if (!sourceDeviceId.equals(deviceId)) {
                // opened through the service, so the backup names one, with the escrow made for it
                session.acceptDeviceKeyEscrow(sourceDeviceId, header.service().orElseThrow().deviceKeyEscrow());
            }
            try {
                readLicenses(reader, session);
                while (!inFlight.isEmpty()) {
                    collectRebound();
                }
            } finally {
                awaitInFlight();
            }
            // Allowance first: should the store's commit then fail, running the restore again is
            // free, as the same device again always is.
            session.commit();
            transaction.commit();
        }
        seen.store(new DeviceRecord.StoreMark(with.storeName(), with.store().count(), now)).commit();
    }

    @Override
    boolean checksSignaturesOfLicensesToRebind() {
        return false;
    }

    /**
     * Writes this device's own licenses at once; sends those to re-bind to the service on a thread of
     * the component's, and while the service works on them, the operation thread reads, checks and
     * decides the next batch: the device's work and the service's overlap instead of taking turns.
     * As many batches are with the service at once as the session takes and the configuration
     * allows, so the service has the next batch while it answers one; what comes back is written and
     * reported from the operation thread, oldest batch first.
     */
    @Override
    void accept(List<License> own, List<License> toRebind, RestoreSession session) {
        List<License> restored = new ArrayList<>(own.size());
        for (License license : own) {
            License decided = decide(license);
            if (decided != null) {
                restored.add(decided);
                tally.succeeded++;
            }
        }
        restored.forEach(seen::used);
        transaction.put(restored);
        List<License> rebinding = new ArrayList<>(toRebind.size());
        for (License license : toRebind) {
            License decided = decide(license);
            if (decided != null) {
                rebinding.add(decided);
            }
        }
        if (rebinding.isEmpty()) {
            return;
        }
        while (inFlight.size() >= Math.min(batchesInFlight, Math.max(1, session.concurrentRebinds()))) {
            collectRebound();
        }
        inFlight.add(new InFlight(rebinding, CompletableFuture.supplyAsync(() -> session.rebind(rebinding), serviceThreads)));
    }

    /** Writes and reports what the service answered for the oldest batch with it. */
    private void collectRebound() {
        InFlight oldest = inFlight.remove();
        List<Rebinding> answers;
        try {
            answers = oldest.answers().join();
        } catch (CompletionException e) {
            // what the service threw, as if the operation thread had called it
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            if (e.getCause() instanceof Error fatal) {
                throw fatal;
            }
            throw e;
        }
        List<License> sent = oldest.sent();
        List<License> rebound = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            Rebinding answer = answers.get(i);
            if (answer instanceof Rebinding.Rebound accepted) {
                // the service re-signs the grant and keeps the record of use it was sent, which no restore lowers
                License license = withUsageSeen(accepted.license());
                rebound.add(license);
                seen.used(license);
                tally.succeeded++;
            } else if (answer instanceof Rebinding.Refused refused) {
                leaveOut(sent.get(i), reasonFor(refused.refusal()), refused.supportUrl().orElse(""));
            }
        }
        transaction.put(rebound);
    }

    /**
     * Batches still with the service when the restore fails or is cancelled end before the session
     * closes. What they fail with is not the restore's failure, which is reported already, but it is
     * logged: it may tell why the service failed.
     */
    private void awaitInFlight() {
        for (InFlight batch : inFlight) {
            batch.answers().handle((answers, failure) -> {
                Logger log = with.logger();
                if (failure != null && log != null) {
                    log.warn("{}: a batch of {} licenses still with the license management service as the restore ended"
                            + " failed too: {}", operation.id(), batch.sent().size(), failure.toString(), failure);
                }
                return null;
            }).join();
        }
        inFlight.clear();
    }

    /**
     * The license with the record of use to restore, or null when the store keeps what it has: the
     * furthest of the backup's, the store's and the device record's, so that no restore gives back
     * plays already used, even into a store that was lost.
     */
    private License decide(License license) {
        RestoreDecision decision = with.policy().decideRestore(license, transaction.find(license.keyId()), now);
        if (decision instanceof RestoreDecision.Restore restore) {
            return withUsageSeen(license.withUsage(restore.usage()));
        }
        if (decision instanceof RestoreDecision.Reject reject) {
            leaveOut(license, reject.reason());
        } else {
            tally.unchanged++;
        }
        return null;
    }

    private License withUsageSeen(License license) {
        Usage seenBefore = with.record().usageSeen(license.keyId());
        return license.usage().atLeast(seenBefore) ? license : license.withUsage(license.usage().furthest(seenBefore));
    }

    static Reason reasonFor(Rebinding.Refusal refusal) {
        return switch (refusal) {
            case DEVICE_LIMIT_REACHED -> Reason.DEVICE_LIMIT_REACHED;
            case NOT_GENUINE -> Reason.SIGNATURE_INVALID;
        };
    }
}
