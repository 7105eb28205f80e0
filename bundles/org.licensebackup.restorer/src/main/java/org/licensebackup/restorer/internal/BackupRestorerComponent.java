package org.licensebackup.restorer.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.events.OperationEventsFactory;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.promise.PromiseFactory;

/**
 * The {@link BackupRestorer} service. Operations run one at a time on a thread of its own; each
 * takes the license store and license management service bound when it starts, so a host that
 * registers a higher-ranked store meanwhile affects only the next operation.
 */
@Component(service = BackupRestorer.class, configurationPid = BackupRestorerComponent.PID)
@Designate(ocd = BackupRestorerComponent.Config.class)
public class BackupRestorerComponent implements BackupRestorer {

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
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile LicenseStore store;

    private final DeviceIdentity device;
    private final RightsPolicy policy;
    private final OperationEventsFactory events;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService operationThread = Executors.newSingleThreadExecutor(named("license-backup-operation"));
    /** Where a restore sends a batch to the license management service while it reads the next. */
    private final ExecutorService rebindingThread = Executors.newSingleThreadExecutor(named("license-backup-rebinding"));
    private final ExecutorService promiseCallbacks = Executors.newSingleThreadExecutor(named("license-backup-callbacks"));
    private final PromiseFactory promises = new PromiseFactory(promiseCallbacks);
    private final SignatureChecker signatures = new SignatureChecker(Runtime.getRuntime().availableProcessors());
    private final AtomicReference<RunningOperation> running = new AtomicReference<>();
    private final String idPrefix = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong operationCount = new AtomicLong();
    private volatile Config config;

    /** Where an operation looks up the license management service, see {@link #licenseManagementNow}. */
    private final BundleContext context;

    @Activate
    public BackupRestorerComponent(BundleContext context, @Reference DeviceIdentity device,
            @Reference RightsPolicy policy, @Reference OperationEventsFactory events, Config config) {
        this.context = context;
        this.device = device;
        this.policy = policy;
        this.events = events;
        this.config = config;
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
        operationThread.awaitTermination(10, TimeUnit.SECONDS);
        rebindingThread.shutdown();
        signatures.close();
        promiseCallbacks.shutdown();
    }

    @Override
    public Operation backup(Path directory, BackupOptions options) {
        requireArgument(directory, "directory");
        requireArgument(options, "options");
        return start(OperationKind.BACKUP, config, (operation, with) -> new BackupJob(operation, with, directory, options));
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
        return start(OperationKind.RESTORE, current, (operation, with) -> new RestoreJob(operation, with, directory,
                options, signatures, Math.max(1, current.restore_batch_size()), rebindingThread));
    }

    @Override
    public Operation restore(RestoreOptions options) {
        return restore(defaultDirectory(), options);
    }

    @Override
    public Operation verify(Path directory) {
        requireArgument(directory, "directory");
        Config current = config;
        return start(OperationKind.VERIFY, current, (operation, with) -> new VerifyJob(operation, with, directory,
                signatures, Math.max(1, current.restore_batch_size())));
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
        return start(OperationKind.RELEASE, config, (operation, with) -> new ReleaseJob(operation, with, parsed));
    }

    private Operation start(OperationKind kind, Config current, BiFunction<RunningOperation, Collaborators, Job> jobFor) {
        RunningOperation operation = new RunningOperation(idPrefix + "-" + operationCount.incrementAndGet(), kind,
                promises.deferred());
        if (!running.compareAndSet(null, operation)) {
            throw new BackupRestoreException(ErrorCode.BUSY, "another operation is running: " + running.get());
        }
        List<Runnable> releases = new ArrayList<>();
        try {
            Collaborators with = new Collaborators(store, licenseManagementNow(releases), device, policy,
                    events.open(kind, operation.id()), clock, current.report_max_listed());
            Job job = jobFor.apply(operation, with);
            operationThread.execute(() -> {
                try {
                    job.run(() -> running.compareAndSet(operation, null));
                } finally {
                    releases.forEach(Runnable::run);
                }
            });
            return operation;
        } catch (RejectedExecutionException stopping) {
            releases.forEach(Runnable::run);
            running.compareAndSet(operation, null);
            throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "the service is stopping", stopping);
        }
    }

    /**
     * The license management service with the highest ranking when an operation starts, or null when
     * there is none (backups are then for this device alone, which restores them offline, and
     * backups from other devices cannot be opened). Looked up in the service registry rather than
     * bound: a service is in the registry before anyone hears of it, so an operation started right
     * after a host registered or configured a new one (as the command line's connect does) uses it,
     * where a bound reference might still hold the one before, or none.
     *
     * @param releases gets what gives the service back once the operation ends
     */
    private LicenseManagementService licenseManagementNow(List<Runnable> releases) {
        Collection<ServiceReference<LicenseManagementService>> registered;
        try {
            registered = context.getServiceReferences(LicenseManagementService.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter, no syntax error", e);
        }
        // ServiceReference's order: higher ranking first, then the older service
        Optional<ServiceReference<LicenseManagementService>> best = registered.stream().max(Comparator.naturalOrder());
        if (best.isEmpty()) {
            return null;
        }
        LicenseManagementService service = context.getService(best.get());
        if (service != null) {
            releases.add(() -> {
                try {
                    context.ungetService(best.get());
                } catch (IllegalStateException stopping) {
                    // this bundle is stopping: the framework gives its services back itself
                }
            });
        }
        return service;
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
