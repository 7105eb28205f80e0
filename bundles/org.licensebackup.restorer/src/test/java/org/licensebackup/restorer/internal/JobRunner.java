package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.internal.IssuerRightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.osgi.util.promise.PromiseFactory;

/**
 * Runs the jobs on the test's thread, each against the store, device and service given, with the
 * rights policy and a recording of its events: what the job tests share. Close it after the test.
 */
final class JobRunner implements AutoCloseable {

    static final Rights BACKUP_ALLOWED = Rights.unlimited().withBackupAllowed(true);

    final Issuer issuer = Issuer.generate("Test Issuer");
    /** The real rights policy, whose signature checker's threads {@link #close()} stops. */
    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();
    private final ExecutorService rebindingThreads = Executors.newCachedThreadPool();
    private final AtomicInteger operations = new AtomicInteger();
    /** What the jobs logged. */
    final RecordingLogger log = new RecordingLogger();
    /** The events of the last job run. */
    RecordingEvents events;
    /** Where a restore into a store that holds licenses backs it up first; a temporary directory unless a test sets it. */
    Path safetyDirectory;
    private Path scratch;
    private final Map<String, DeviceRecord> records = new HashMap<>();
    /** The jobs' clock. */
    Clock clock = Clock.systemUTC();
    /** How many safety backups are kept. */
    int safetyKept = 3;

    @Override
    public void close() {
        policy.close();
        rebindingThreads.shutdown();
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A store with {@code count} licenses that may be backed up, bound to {@code device}. */
    LicenseStore storeWith(DeviceIdentity device, int count) {
        LicenseStore store = new InMemoryLicenseStore();
        try (StoreTransaction transaction = store.begin()) {
            for (int n = 0; n < count; n++) {
                transaction.put(List.of(issuer.issue(LicenseSpec.of("Film " + n, BACKUP_ALLOWED), device.deviceId(),
                        device.agreementPublicKey())));
            }
            transaction.commit();
        }
        return store;
    }

    RunningOperation backup(DeviceIdentity device, LicenseStore store, LicenseManagementService withService, Path directory,
            BackupOptions options) {
        return run(OperationKind.BACKUP, device, store, withService,
                (operation, with) -> new BackupJob(operation, with, directory, options));
    }

    RunningOperation restore(DeviceIdentity device, LicenseStore store, LicenseManagementService withService,
            Path directory, RestoreOptions options) {
        return run(OperationKind.RESTORE, device, store, withService,
                (operation, with) -> new RestoreJob(operation, with, directory, options, 2, rebindingThreads, 2,
                        safetyBackups()));
    }

    RunningOperation verify(DeviceIdentity device, LicenseManagementService withService, Path directory) {
        return run(OperationKind.VERIFY, device, new InMemoryLicenseStore(), withService,
                (operation, with) -> new VerifyJob(operation, with, directory, 2, verifyRecords()));
    }

    RunningOperation backupBeforeChange(DeviceIdentity device, LicenseStore store) {
        return run(OperationKind.BACKUP, device, store, null,
                (operation, with) -> new SafetyBackupJob(operation, with, safetyBackups()));
    }

    /** What verifies found, in a file of the runner's scratch directory. */
    VerifyRecords verifyRecords() {
        return new VerifyRecords(scratch().resolve("verified-backups.txt"));
    }

    private SafetyBackups safetyBackups() {
        if (safetyDirectory == null) {
            safetyDirectory = scratch().resolve("safety-backups");
        }
        return new SafetyBackups(safetyDirectory, safetyKept);
    }

    /** The record of {@code device}, one for each device for as long as the runner runs, kept in its scratch directory. */
    DeviceRecord recordOf(DeviceIdentity device) {
        return records.computeIfAbsent(device.deviceId(), id -> TestDevices.recordOf(device, scratch().resolve("records").resolve(id)));
    }

    /** A temporary directory of the runner's, deleted by {@link #close()}. */
    private Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("job-runner");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    /** Runs the job on this thread to its end; the operation's promise then holds the outcome. */
    RunningOperation run(OperationKind kind, DeviceIdentity device, LicenseStore store,
            LicenseManagementService withService, BiFunction<RunningOperation, Collaborators, Job> jobFor) {
        events = new RecordingEvents();
        RunningOperation operation = new RunningOperation("op-" + operations.incrementAndGet(), kind,
                new PromiseFactory(PromiseFactory.inlineExecutor()).deferred());
        events.promiseSettled = operation.result()::isDone;
        Collaborators with = new Collaborators(store, store.getClass().getName(), withService, device, recordOf(device), policy,
                events, clock, 100, log.logger);
        jobFor.apply(operation, with).run(() -> { });
        return operation;
    }

    static Report result(RunningOperation operation) throws Exception {
        Throwable failure = operation.result().getFailure();
        if (failure != null) {
            throw new AssertionError(operation + " failed", failure);
        }
        return operation.result().getValue();
    }

    static BackupRestoreException failure(RunningOperation operation) throws Exception {
        return assertInstanceOf(BackupRestoreException.class, operation.result().getFailure());
    }

    static List<KeyId> keyIds(LicenseStore store) {
        try (Stream<License> licenses = store.licenses()) {
            return licenses.map(License::keyId).sorted().toList();
        }
    }
}
