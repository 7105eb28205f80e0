package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.api.hygiene.StoreHygiene;
import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.events.OperationEventsFactory;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.promise.PromiseFactory;

/**
 * The {@link BackupRestorer} service. Operations run one at a time on a thread of its own; each
 * takes the license store and license management service bound when it starts, so a host that
 * registers a higher-ranked store meanwhile affects only the next operation. The caller's thread only
 * takes the operation's slot and hands it to that thread, which looks the services up, opens the
 * events and does the work, so that a call returns in well under a millisecond, the first one in a
 * JVM too ({@link #warmCallersPath}).
 */
@Component(service = { BackupRestorer.class, BackupCatalog.class, StoreHygiene.class }, configurationPid = BackupRestorerComponent.PID)
@Designate(ocd = BackupRestorerComponent.Config.class)
public class BackupRestorerComponent implements BackupRestorer, BackupCatalog, StoreHygiene {

    static final String PID = "org.licensebackup.restorer";

    @ObjectClassDefinition(name = "License Backup restorer", description = "Defaults of backups and restores")
    public @interface Config {
        @AttributeDefinition(name = "Default directory",
                description = "Where backup(options) and restore(options) go when the host names no directory")
        String default_directory() default "";

        @AttributeDefinition(name = "Licenses listed in a report",
                description = "At most this many excluded or rejected licenses are listed in a report; events name them all")
        int report_max_listed() default 1000;

        @AttributeDefinition(name = "Restore batch size",
                description = "Licenses read, checked across all cores and written together; for a backup from another "
                        + "device, also the licenses sent to the license management service in one request (its protocol "
                        + "takes at most 2048; a restore of 170,000 took 22.6 s in batches of 512, 19.6 s of 1024, 17.6 s of 2048)")
        int restore_batch_size() default 2048;

        @AttributeDefinition(name = "Restore batches in flight",
                description = "Batches of a backup from another device that may be with the license management service at once, "
                        + "as far as its session takes them: while it works on some, the next are on their way and those done are "
                        + "written, so neither side waits for the other")
        int restore_batches_in_flight() default 2;

        @AttributeDefinition(name = "Safety directory",
                description = "Where a restore into a store that holds licenses backs that store up first, and where hosts' "
                        + "backups before a risky change go; empty: " + SAFETY_DIRECTORY_NAME + " in " + DataLocation.HOME_DESCRIPTION)
        String safety_directory() default "";

        @AttributeDefinition(name = "Safety backup before a restore",
                description = "Whether a restore into a store that holds licenses backs that store up first (it takes about as "
                        + "long as a backup of the store)")
        boolean safety_before_restore() default true;

        @AttributeDefinition(name = "Safety backups kept",
                description = "The newest this many safety backups are kept; older ones are deleted")
        int safety_keep() default 10;
    }

    /** What verifies found: the file's name under the home or in the data area ({@link VerifyRecords}). */
    static final String VERIFY_RECORDS_NAME = "verified-backups.txt";

    /** The safety directory's name under the home or the data area. */
    static final String SAFETY_DIRECTORY_NAME = "safety-backups";

    /**
     * The license stores, as DS binds them (dynamic): the one with the highest ranking serves (a host's
     * store registered above the embedded one). At least one, so the component is unsatisfied while
     * there is no store at all. An operation reads it once when it starts ({@link #servicesNow}).
     */
    private final BoundService<LicenseStore> store;

    /**
     * The license management services, bound as the stores are; none is needed: without one, backups
     * are for this device alone (which restores them offline), and backups from other devices cannot
     * be opened.
     */
    private final BoundService<LicenseManagementService> licenseManagement;

    /**
     * Where failed operations are reported for the operator, besides the host's promise and END
     * event; optional, so that backups work in a framework without a log service.
     */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    private final DeviceIdentity device;
    private final DeviceRecord record;
    private final RightsPolicy policy;
    private final OperationEventsFactory events;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService operationThread = Executors.newSingleThreadExecutor(named("license-backup-operation"));
    /** Where a restore sends batches to the license management service while it reads the next: a thread per batch in flight. */
    private final ExecutorService rebindingThreads = Executors.newCachedThreadPool(named("license-backup-rebinding"));
    private final ExecutorService promiseCallbacks = Executors.newSingleThreadExecutor(named("license-backup-callbacks"));
    private final PromiseFactory promises = new PromiseFactory(promiseCallbacks);
    private final AtomicReference<RunningOperation> running = new AtomicReference<>();
    private final String idPrefix = Long.toString(System.currentTimeMillis(), 36).concat("-");
    private final AtomicLong operationCount = new AtomicLong();
    private volatile Config config;

    /** What verifies found, for listings; null: not kept. */
    private final VerifyRecords verifyRecords;

    /** Where the home and its default directories are found. */
    private final BundleContext context;

    @Activate
    public BackupRestorerComponent(BundleContext context, @Reference DeviceIdentity device, @Reference DeviceRecord record,
            @Reference RightsPolicy policy, @Reference OperationEventsFactory events, Config config) {
        this.context = context;
        this.store = new BoundService<>(context);
        this.licenseManagement = new BoundService<>(context);
        this.device = device;
        this.record = record;
        this.policy = policy;
        this.events = events;
        this.config = config;
        this.verifyRecords = verifyRecords(context);
        // on the operation thread, which this starts: activation itself stays as quick as before
        operationThread.execute(this::warmCallersPath);
    }

    /**
     * Loads what the caller's thread of {@code backup()}, {@code verify()} and {@code restore()} uses,
     * and starts the operation thread (this runs on it), so that a host's first call does not pay for
     * them: a JVM's first {@code backup()} took 18 to 150 ms, the next ones 0.2 to 1 ms. That path
     * links no call site (see {@link JobRequest}), so a call that comes before this ends pays for a
     * few classes at most. It takes no operation number and no slot, opens no events and runs no job.
     */
    private void warmCallersPath() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> used : List.of(RunningOperation.class, OperationStart.class, BackupRequest.class, VerifyRequest.class,
                    RestoreRequest.class, SafetyBackups.class)) {
                lookup.ensureInitialized(used);
            }
        } catch (IllegalAccessException cannot) {
            throw new IllegalStateException("this class's own nest and package are accessible to it", cannot);
        }
        promises.deferred();
        operationId(0);
    }

    /** What verifies found, in the home; null where there is none to keep them in. */
    private static VerifyRecords verifyRecords(BundleContext context) {
        try {
            return new VerifyRecords(DataLocation.resolve(context, null, VERIFY_RECORDS_NAME, PID));
        } catch (RuntimeException noPlace) {
            // no home, or one whose files cannot be moved in: listings then say NOT_VERIFIED, nothing worse
            return null;
        }
    }

    @Modified
    void modified(Config newConfig) {
        config = newConfig;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        RunningOperation current = running.get();
        if (current != null) {
            current.cancel();
        }
        operationThread.shutdown();
        if (!operationThread.awaitTermination(10, TimeUnit.SECONDS)) {
            Logger log = logger;
            if (log != null) {
                log.warn("the operation {} did not end within 10 s of its cancellation; the service stops without it", current);
            }
        }
        rebindingThreads.shutdown();
        promiseCallbacks.shutdown();
    }

    @Override
    public Operation backup(Path directory, BackupOptions options) {
        requireArgument(directory, "directory");
        requireArgument(options, "options");
        return start(OperationKind.BACKUP, config, new BackupRequest(directory, options));
    }

    private record BackupRequest(Path directory, BackupOptions options) implements JobRequest {
        @Override
        public Job job(RunningOperation operation, Collaborators with, Config current) {
            return new BackupJob(operation, with, directory, options);
        }
    }

    @Override
    public Operation backup(BackupOptions options) {
        return backup(defaultDirectory(), options);
    }

    @Override
    public Operation restore(Path directory, RestoreOptions options) {
        requireArgument(directory, "directory");
        requireArgument(options, "options");
        Config current = config;
        SafetyBackups safety = current.safety_before_restore()
                ? new SafetyBackups(safetyDirectory(current), current.safety_keep()) : null;
        return start(OperationKind.RESTORE, current, new RestoreRequest(directory, options, safety, rebindingThreads));
    }

    private record RestoreRequest(Path directory, RestoreOptions options, SafetyBackups safety, ExecutorService rebindingThreads)
            implements JobRequest {
        @Override
        public Job job(RunningOperation operation, Collaborators with, Config current) {
            return new RestoreJob(operation, with, directory, options, Math.max(1, current.restore_batch_size()),
                    rebindingThreads, Math.max(1, current.restore_batches_in_flight()), safety);
        }
    }

    @Override
    public Operation restore(RestoreOptions options) {
        return restore(defaultDirectory(), options);
    }

    @Override
    public Operation verify(Path directory) {
        requireArgument(directory, "directory");
        Config current = config;
        return start(OperationKind.VERIFY, current, new VerifyRequest(directory, verifyRecords));
    }

    private record VerifyRequest(Path directory, VerifyRecords records) implements JobRequest {
        @Override
        public Job job(RunningOperation operation, Collaborators with, Config current) {
            return new VerifyJob(operation, with, directory, Math.max(1, current.restore_batch_size()), records);
        }
    }

    @Override
    public List<BackupInfo> list(Path directory) {
        requireArgument(directory, "directory");
        try {
            return BackupFiles.list(directory, device, verifyRecords);
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot list the backups in " + directory + ": " + e, e);
        }
    }

    @Override
    public void delete(Path backup) {
        requireArgument(backup, "backup");
        Path name = backup.getFileName();
        if (name == null || !BackupFiles.isBackupName(name.toString())) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "not named as a backup: " + backup);
        }
        // holds the one-operation slot, so no backup starts writing, and no restore reading, meanwhile
        RunningOperation deleting = new RunningOperation("delete-" + operationCount.incrementAndGet(), OperationKind.BACKUP,
                promises.deferred());
        if (!running.compareAndSet(null, deleting)) {
            throw new BackupRestoreException(ErrorCode.BUSY, "an operation is running, " + running.get()
                    + ": no backup is deleted meanwhile");
        }
        try {
            if (!Files.isRegularFile(backup)) {
                throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup at " + backup);
            }
            Files.deleteIfExists(backup);
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot delete " + backup + ": " + e, e);
        } finally {
            running.compareAndSet(deleting, null);
        }
    }

    @Override
    public Operation backupBeforeChange() {
        Config current = config;
        SafetyBackups safety = new SafetyBackups(safetyDirectory(current), current.safety_keep());
        return start(OperationKind.BACKUP, current, (operation, with, sameConfig) -> new SafetyBackupJob(operation, with, safety));
    }

    @Override
    public Path safetyDirectory() {
        return safetyDirectory(config);
    }

    private Path safetyDirectory(Config current) {
        try {
            return DataLocation.resolve(context, current.safety_directory(), SAFETY_DIRECTORY_NAME, PID);
        } catch (IllegalStateException | InvalidPathException | UncheckedIOException e) {
            throw new BackupRestoreException(ErrorCode.NO_LOCATION, "no safety directory: " + e.getMessage(), e);
        }
    }

    @Override
    public Operation clean() {
        return start(OperationKind.CLEAN, config, (operation, with, current) -> new CleanJob(operation, with,
                Math.max(1, current.restore_batch_size())));
    }

    @Override
    public Operation release(Collection<String> keyIds) {
        requireArgument(keyIds, "keyIds");
        if (keyIds.isEmpty()) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "no key ID to release");
        }
        List<KeyId> parsed = new ArrayList<>(keyIds.size());
        for (String keyId : new LinkedHashSet<>(keyIds)) {
            requireArgument(keyId, "a key ID");
            try {
                parsed.add(KeyId.parse(keyId));
            } catch (IllegalArgumentException e) {
                throw new BackupRestoreException(ErrorCode.BAD_DATA, "not a key ID: " + keyId + " (" + e.getMessage() + ")", e);
            }
        }
        return start(OperationKind.RELEASE, config, (operation, with, sameConfig) -> new ReleaseJob(operation, with, parsed));
    }

    /**
     * What a caller asked for, made into its job on the operation thread once the services are taken.
     * {@code backup()}, {@code verify()} and {@code restore()} pass records rather than lambdas, and
     * the caller's thread concatenates no string: a lambda's or a concatenation's first run links its
     * call site, milliseconds that the caller's first call would pay (a record's class is loaded ahead,
     * {@link #warmCallersPath}).
     */
    @FunctionalInterface
    private interface JobRequest {
        Job job(RunningOperation operation, Collaborators with, Config current);
    }

    /** The operation thread's part of a call. */
    private record OperationStart(BackupRestorerComponent component, RunningOperation operation, Config current,
            JobRequest request) implements Runnable {
        @Override
        public void run() {
            component.runWithServicesNow(operation, current, request);
        }
    }

    private Operation start(OperationKind kind, Config current, JobRequest request) {
        RunningOperation operation = new RunningOperation(operationId(operationCount.incrementAndGet()), kind,
                promises.deferred());
        if (!running.compareAndSet(null, operation)) {
            throw new BackupRestoreException(ErrorCode.BUSY, "another operation is running: " + running.get());
        }
        try {
            operationThread.execute(new OperationStart(this, operation, current, request));
            return operation;
        } catch (RejectedExecutionException stopping) {
            running.compareAndSet(operation, null);
            throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "the service is stopping", stopping);
        }
    }

    private String operationId(long number) {
        return idPrefix.concat(Long.toString(number));
    }

    /** On the operation thread: takes the services and events the operation works with, then runs its job. */
    private void runWithServicesNow(RunningOperation operation, Config current, JobRequest request) {
        Job job;
        try {
            job = request.job(operation, servicesNow(operation, current), current);
        } catch (RuntimeException cannotStart) {
            // the last store leaving, or the bundle stopping under it: there are no events to end yet,
            // so the promise and the log say it
            BackupRestoreException error = cannotStart instanceof BackupRestoreException refused ? refused
                    : new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "the operation could not start: " + cannotStart, cannotStart);
            Logger log = logger;
            if (log != null) {
                log.error("{} could not start", operation, cannotStart);
            }
            running.compareAndSet(operation, null);
            operation.outcome().fail(error);
            return;
        }
        job.run(() -> running.compareAndSet(operation, null));
    }

    /**
     * What {@code operation} works with: the store and license management service bound now, read
     * once, so that one bound meanwhile serves the next operation, and the events of the operation.
     *
     * @throws BackupRestoreException STORE_UNAVAILABLE when the last store went a moment before, as SCR
     *     deactivates this component
     */
    private Collaborators servicesNow(RunningOperation operation, Config current) {
        BoundService.Named<LicenseStore> storeNow = store.now();
        if (storeNow == null) {
            throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, "no license store is available");
        }
        BoundService.Named<LicenseManagementService> serviceNow = licenseManagement.now();
        return new Collaborators(storeNow.service(), storeNow.name(), serviceNow != null ? serviceNow.service() : null,
                device, record, policy, events.open(operation.kind(), operation.id()), clock, current.report_max_listed(), logger);
    }

    @Reference(name = "store", cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(LicenseStore service, ServiceReference<LicenseStore> reference) {
        store.bind(service, reference);
    }

    void unbindStore(LicenseStore service, ServiceReference<LicenseStore> reference) {
        store.unbind(service, reference);
    }

    @Reference(name = "licenseManagement", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLicenseManagement(LicenseManagementService service, ServiceReference<LicenseManagementService> reference) {
        licenseManagement.bind(service, reference);
    }

    void unbindLicenseManagement(LicenseManagementService service, ServiceReference<LicenseManagementService> reference) {
        licenseManagement.unbind(service, reference);
    }

    private Path defaultDirectory() {
        String directory = config.default_directory();
        if (directory == null || directory.isBlank()) {
            throw new BackupRestoreException(ErrorCode.NO_LOCATION,
                    "no directory given and none configured (" + PID + ", default.directory)");
        }
        try {
            return Path.of(directory);
        } catch (InvalidPathException e) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "the configured default.directory is not a path: " + directory, e);
        }
    }

    private static void requireArgument(Object argument, String name) {
        if (argument == null) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, name + " is null");
        }
    }

    private static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
