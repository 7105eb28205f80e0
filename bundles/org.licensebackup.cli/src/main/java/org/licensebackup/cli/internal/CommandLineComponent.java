package org.licensebackup.cli.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventTopics;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.store.LicenseStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
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

/**
 * Runs a command line inside the framework for a launcher outside it. Registered as a
 * {@code java.util.function.Function<String[], Integer>}, a type both sides load from the JDK, with
 * {@value #COMMAND_LINE_PROPERTY}{@code =true}; {@link #apply} answers the exit code. Also the
 * EventAdmin handler that follows the progress of the operations the commands start.
 *
 * <p>Every reference is optional and dynamic: the demo reconfigures the device identity and the
 * license management service, which restarts the services that depend on them, and a static
 * reference would deactivate this component in the middle of the command that caused it. Immediate,
 * so that the progress it keeps does not go with the last user of its services.
 */
@Component(immediate = true, service = {Function.class, EventHandler.class}, property = {
        CommandLineComponent.COMMAND_LINE_PROPERTY + "=true",
        "event.topics=" + EventTopics.PREFIX + "*"})
public final class CommandLineComponent implements Function<String[], Integer>, EventHandler {

    /** The service property that marks the command line among other functions. */
    public static final String COMMAND_LINE_PROPERTY = "licensebackup.command.line";
    /** The framework property naming where the host keeps its data. */
    static final String HOME_PROPERTY = "licensebackup.home";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** A server opens its database and port, a client reads its state: both may take longer than a lookup. */
    private static final Duration SERVICE_START_PATIENCE = Duration.ofSeconds(30);

    private volatile ServiceComponentRuntime componentRuntime;
    private final ComponentFailures componentFailures = new ComponentFailures(() -> Optional.ofNullable(componentRuntime));
    private final Logger logger;
    private final ServiceSlot<BackupRestorer> restorer = new ServiceSlot<>("BackupRestorer service",
            ErrorCode.INTERNAL_ERROR, PATIENCE, failureOf(BackupRestorer.class));
    private final ServiceSlot<LicenseStore> store = new ServiceSlot<>("license store", ErrorCode.STORE_UNAVAILABLE,
            PATIENCE, failureOf(LicenseStore.class));
    /** A damaged key file is a file not of the form this version reads: BAD_DATA; its message says what to do. */
    private final ServiceSlot<DeviceIdentity> device = new ServiceSlot<>("device identity service", ErrorCode.BAD_DATA,
            PATIENCE, failureOf(DeviceIdentity.class));
    private final ServiceSlot<ConfigurationAdmin> configurationAdmin = new ServiceSlot<>("Configuration Admin service",
            ErrorCode.INTERNAL_ERROR, PATIENCE, failureOf(ConfigurationAdmin.class));
    private final ProgressBoard board = new ProgressBoard();
    /** Released when the component goes, which ends a {@code server} command's wait. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Services services;
    private final Path home;

    /**
     * @param logger where the whole failure of a component goes (the user sees its one-line cause;
     *     {@code --verbose} shows the log)
     */
    @Activate
    public CommandLineComponent(BundleContext context,
            @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL) Logger logger) {
        this.logger = logger;
        String homeProperty = context.getProperty(HOME_PROPERTY);
        this.home = homeProperty == null || homeProperty.isBlank() ? null : Path.of(homeProperty);
        this.services = new Services(restorer, store, device, configurationAdmin,
                () -> new HostSetup(configurationAdmin.get(), context, SERVICE_START_PATIENCE), this::awaitStop);
    }

    /**
     * Why the component that would provide {@code type} failed to activate, if it did: its innermost
     * cause's message, which says what to do (the component knows: a damaged store file is moved
     * aside, an unreachable database is not); the whole failure goes to the log.
     */
    private Supplier<Optional<String>> failureOf(Class<?> type) {
        return () -> componentFailures.failureOf(type.getName()).map(failure -> {
            if (logger != null) {
                logger.error("the component that provides {} failed to activate: {}", type.getName(), failure);
            }
            return ComponentFailures.rootCauseMessage(failure);
        });
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the exit code: 0 done, 1 failed, 2 bad command line */
    @Override
    public Integer apply(String[] args) {
        ProgressDisplay display = new ProgressDisplay(System.out, System.console() != null, board,
                ProgressDisplay.END_EVENT_PATIENCE);
        return new CommandLine(services, display, System.out, System.err, home).run(args);
    }

    @Override
    public void handleEvent(Event event) {
        board.record(event.getTopic(), event::getProperty);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRestorer(BackupRestorer service) {
        restorer.bind(service);
    }

    void unbindRestorer(BackupRestorer service) {
        restorer.unbind(service);
    }

    /** The store with the highest ranking: greedy, so a better one that comes later replaces it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(LicenseStore service) {
        store.bind(service);
    }

    void unbindStore(LicenseStore service) {
        store.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(DeviceIdentity service) {
        device.bind(service);
    }

    void unbindDevice(DeviceIdentity service) {
        device.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigurationAdmin(ConfigurationAdmin service) {
        configurationAdmin.bind(service);
    }

    void unbindConfigurationAdmin(ConfigurationAdmin service) {
        configurationAdmin.unbind(service);
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
