package org.licensebackup.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.HostStatusService;
import org.licensebackup.api.LicenseCatalog;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The operator's commands, as Gogo commands in the scope {@value #SCOPE}: Felix Gogo and Karaf's
 * console run them ({@code license:backup /backups --overwrite}), and the launcher's command line
 * runs them through Gogo's command processor. Output goes to {@code System.out}, which Gogo hands to
 * the session running the command; a failure is a {@link BackupRestoreException} (one line, its code
 * first), a command line this does not take an {@link IllegalArgumentException}.
 *
 * <p>Also the EventAdmin handler that follows the progress of the operations the commands start.
 * Every service is optional and dynamic, waited for a little when a command needs it, so that the
 * commands are there to say what is missing (a damaged device key, a store that does not open).
 */
@Component(immediate = true, service = {LicenseCommands.class, EventHandler.class}, property = {
        LicenseCommands.SCOPE_PROPERTY + "=" + LicenseCommands.SCOPE,
        LicenseCommands.FUNCTION_PROPERTY + "=backup", LicenseCommands.FUNCTION_PROPERTY + "=restore",
        LicenseCommands.FUNCTION_PROPERTY + "=verify", LicenseCommands.FUNCTION_PROPERTY + "=list",
        LicenseCommands.FUNCTION_PROPERTY + "=status", LicenseCommands.FUNCTION_PROPERTY + "=release",
        "event.topics=" + EventTopics.PREFIX + "*"})
public final class LicenseCommands implements EventHandler {

    static final String SCOPE_PROPERTY = "osgi.command.scope";
    static final String FUNCTION_PROPERTY = "osgi.command.function";
    /** The Gogo scope of every License Backup command. */
    static final String SCOPE = "license";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** By name: this bundle imports the API alone. */
    private static final String DEVICE_SERVICE = "org.licensebackup.device.DeviceIdentity";
    private static final String STORE_SERVICE = "org.licensebackup.store.LicenseStore";

    private volatile ServiceComponentRuntime componentRuntime;
    private final ComponentFailures componentFailures = new ComponentFailures(() -> Optional.ofNullable(componentRuntime));
    private final Logger logger;
    private final ServiceSlot<BackupRestorer> restorer = new ServiceSlot<>("BackupRestorer service",
            ErrorCode.INTERNAL_ERROR, PATIENCE, failureOf(BackupRestorer.class.getName()));
    private final ServiceSlot<LicenseCatalog> catalog = new ServiceSlot<>("license catalog service",
            ErrorCode.INTERNAL_ERROR, PATIENCE, failureOf(LicenseCatalog.class.getName()));
    private final ServiceSlot<HostStatusService> status = new ServiceSlot<>("host status service",
            ErrorCode.INTERNAL_ERROR, PATIENCE, failureOf(HostStatusService.class.getName()));
    /** A damaged key file is a file not of the form this version reads: BAD_DATA; its message says what to do. */
    private final ServiceSlot<Object> device = new ServiceSlot<>("device identity service", ErrorCode.BAD_DATA,
            PATIENCE, failureOf(DEVICE_SERVICE));
    private final ServiceSlot<Object> store = new ServiceSlot<>("license store", ErrorCode.STORE_UNAVAILABLE,
            PATIENCE, failureOf(STORE_SERVICE));
    private final ServiceTracker<Object, Object> deviceTracker;
    private final ServiceTracker<Object, Object> storeTracker;
    private final ProgressBoard board = new ProgressBoard();
    private final OperatorServices services;

    /**
     * @param logger where the whole failure of a component goes (the user sees its one-line cause;
     *     the launcher's {@code --verbose} shows the log)
     */
    @Activate
    public LicenseCommands(BundleContext context,
            @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL) Logger logger) {
        this.logger = logger;
        this.deviceTracker = slotTracker(context, DEVICE_SERVICE, device);
        this.storeTracker = slotTracker(context, STORE_SERVICE, store);
        this.services = new OperatorServices(restorer, catalog, status, device::get, store::get, failureOf(STORE_SERVICE));
    }

    @Deactivate
    void deactivate() {
        deviceTracker.close();
        storeTracker.close();
    }

    /** {@code license:backup DIR [--overwrite]} */
    public void backup(String... args) {
        run("backup", args);
    }

    /** {@code license:restore DIR [--rebind]} */
    public void restore(String... args) {
        run("restore", args);
    }

    /** {@code license:verify DIR} */
    public void verify(String... args) {
        run("verify", args);
    }

    /** {@code license:list [--title TEXT] [--key-id PREFIX] [--rights RIGHT]...} */
    public void list(String... args) {
        run("list", args);
    }

    /** {@code license:status} */
    public void status(String... args) {
        run("status", args);
    }

    /** {@code license:release KEY-ID...} */
    public void release(String... args) {
        run("release", args);
    }

    private void run(String name, String[] args) {
        OperatorCommand command = OperatorParser.parse(name, args);
        PrintStream out = System.out;
        ProgressDisplay display = new ProgressDisplay(out, System.console() != null, board,
                ProgressDisplay.END_EVENT_PATIENCE);
        new Operator(services, display, out).run(command);
    }

    @Override
    public void handleEvent(Event event) {
        board.record(event.getTopic(), event::getProperty);
    }

    /**
     * Why the component that would provide {@code type} failed to activate, if it did: its innermost
     * cause's message, which says what to do (the component knows: a damaged store file is moved
     * aside, an unreachable database is not); the whole failure goes to the log.
     */
    private Supplier<Optional<String>> failureOf(String type) {
        return () -> componentFailures.failureOf(type).map(failure -> {
            if (logger != null) {
                logger.error("the component that provides {} failed to activate: {}", type, failure);
            }
            return ComponentFailures.rootCauseMessage(failure);
        });
    }

    /** Keeps {@code slot} filled with a service registered under {@code type}, known by name alone. */
    private static ServiceTracker<Object, Object> slotTracker(BundleContext context, String type, ServiceSlot<Object> slot) {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(" + Constants.OBJECTCLASS + "=" + type + ")"), null) {
                /**
                 * Gets the service, which activates its component: a component registers its
                 * service before it activates, and one that fails to (a damaged key file, a store
                 * that does not open) gives none, which leaves the slot to say why. Its object is
                 * not used here; its class need not even be visible to this bundle.
                 */
                @Override
                public Object addingService(ServiceReference<Object> reference) {
                    Object service = context.getService(reference);
                    if (service != null) {
                        slot.bind(service);
                    }
                    return service;
                }

                @Override
                public void removedService(ServiceReference<Object> reference, Object tracked) {
                    slot.unbind(tracked);
                    context.ungetService(reference);
                }
            };
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("a constant filter", e);
        }
        tracker.open(true);
        return tracker;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRestorer(BackupRestorer service) {
        restorer.bind(service);
    }

    void unbindRestorer(BackupRestorer service) {
        restorer.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCatalog(LicenseCatalog service) {
        catalog.bind(service);
    }

    void unbindCatalog(LicenseCatalog service) {
        catalog.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStatus(HostStatusService service) {
        status.bind(service);
    }

    void unbindStatus(HostStatusService service) {
        status.unbind(service);
    }

    /** Tells why a component failed to activate; without it, a missing service is only waited for. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindComponentRuntime(ServiceComponentRuntime service) {
        componentRuntime = service;
    }

    void unbindComponentRuntime(ServiceComponentRuntime service) {
        if (componentRuntime == service) {
            componentRuntime = null;
        }
    }
}
