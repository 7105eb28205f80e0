package org.licensebackup.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatusService;
import org.licensebackup.api.operator.LicenseCatalog;
import org.licensebackup.api.ReadinessService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * The operator's commands, as Gogo commands in the scope {@value #SCOPE}: Felix Gogo and Karaf's
 * console run them ({@code license:backup /backups --overwrite}), and the launcher's command line
 * runs them through Gogo's command processor. Output goes to {@code System.out}, which Gogo hands to
 * the session running the command; a failure is a {@link BackupRestoreException} (one line, its code
 * first), a command line this does not take an {@link IllegalArgumentException}.
 *
 * <p>Also the EventAdmin handler that follows the progress of the operations the commands start.
 * Every service is optional and dynamic, waited for a little when a command needs it, so that the
 * commands are there to say what is missing: the device identity and the stores say themselves
 * whether they serve and why not ({@link ReadinessService}), a damaged device key, a store that does not open.
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

    private final ServiceSlot<BackupRestorer> restorer = new ServiceSlot<>("BackupRestorer service",
            ErrorCode.INTERNAL_ERROR, PATIENCE);
    private final ServiceSlot<LicenseCatalog> catalog = new ServiceSlot<>("license catalog service",
            ErrorCode.INTERNAL_ERROR, PATIENCE);
    private final ServiceSlot<HostStatusService> status = new ServiceSlot<>("host status service",
            ErrorCode.INTERNAL_ERROR, PATIENCE);
    private final PartReadiness parts = new PartReadiness(PATIENCE);
    private final ProgressBoard board = new ProgressBoard();
    private final OperatorServices services = new OperatorServices(restorer, catalog, status, parts::awaitDevice,
            parts::awaitStore, parts::storeFailure);

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

    /** The device identity and the stores, each saying whether it serves and why not. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReadiness(ReadinessService service, Map<String, Object> properties) {
        parts.bind(service, properties);
    }

    void unbindReadiness(ReadinessService service) {
        parts.unbind(service);
    }
}
