package org.licensebackup.lms.server.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.server.LicenseServer;
import org.licensebackup.options.PublicKeys;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The license management server: opens its ledger, listens over HTTP(S), and registers itself as
 * {@link LicenseServer}; while it runs, {@link InProcessLicenseManagementService} offers it as an
 * in-process {@link LicenseManagementService} to hosts that run it in their own framework. A new
 * configuration restarts it. It starts only once configured (an empty configuration will do): a
 * bundle that opens a port and keeps a ledger does so because an operator said so, not because it
 * was installed.
 */
@Component(service = LicenseServer.class, configurationPid = LicenseServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = LicenseServerComponent.Config.class)
public final class LicenseServerComponent implements LicenseServer {

    public static final String PID = "org.licensebackup.lms.server";
    /** The embedded database's file name in the data location (H2 adds {@code .mv.db}). */
    public static final String DEFAULT_DATABASE_NAME = "lms-server";

    @ObjectClassDefinition(name = "License Backup: license management server",
            description = "Re-binds backed-up licenses to new devices within each license's device limit, over signed HTTP.")
    public @interface Config {

        @AttributeDefinition(description = "The interface to listen on.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "The port; 0 takes any free port (see the LicenseServer service's uri()).")
        int port() default 8480;

        @AttributeDefinition(name = "tls.keystore", description = "A PKCS12 key store for HTTPS; empty serves plain HTTP.")
        String tls_keystore() default "";

        /** Private (a leading dot), so that it is not published among the service's properties. */
        @AttributeDefinition(name = ".tls.keystore.password", type = AttributeType.PASSWORD, description = "The password of tls.keystore.")
        String _tls_keystore_password() default "";

        @AttributeDefinition(name = "idle.timeout.ms", description = "How long a connection may stay silent while the server works on its request.")
        long idle_timeout_ms() default 30_000;

        @AttributeDefinition(name = "max.threads", description = "The most requests served at once.")
        int max_threads() default 32;

        @AttributeDefinition(name = "request.header.timeout.ms", min = "1",
                description = "How long a connection may wait for a request's headers, between requests included.")
        long request_header_timeout_ms() default 5_000;

        @AttributeDefinition(name = "request.body.timeout.ms", min = "1", description = "How long a request's body may stay silent.")
        long request_body_timeout_ms() default 5_000;

        @AttributeDefinition(name = "request.min.data.rate", min = "0",
                description = "The slowest a request's body may arrive, in bytes per second: it must be whole by request.body.timeout.ms"
                        + " plus its length at this rate; 0: any.")
        long request_min_data_rate() default 16_384;

        @AttributeDefinition(name = "request.body.budget.mb", min = "4", description = "MiB that all bodies being read may hold together.")
        int request_body_budget_mb() default 128;

        @AttributeDefinition(name = "max.connections", min = "1", description = "Connections in all; past it, new ones wait to be accepted.")
        int max_connections() default 1024;

        @AttributeDefinition(name = "max.connections.per.address", min = "1", description = "Connections of one client address.")
        int max_connections_per_address() default 64;

        @AttributeDefinition(name = "nonces.per.second.per.address", min = "1",
                description = "Nonces one client address may take each second, on average (Jetty's DoSHandler); more: 429.")
        int nonces_per_second_per_address() default 5;

        @AttributeDefinition(name = "nonce.burst.per.address", min = "1", description = "Nonces one client address may take at once.")
        int nonce_burst_per_address() default 50;

        @AttributeDefinition(name = "max.live.nonces", min = "1",
                description = "Nonces issued and neither used nor expired, in all, on this instance; more: 429.")
        int max_live_nonces() default EngineSettings.DEFAULT_MAX_LIVE_NONCES;

        @AttributeDefinition(name = "sessions.per.device", min = "1", description = "Live restore sessions of one device; more: 429.")
        int sessions_per_device() default EngineSettings.DEFAULT_SESSIONS_PER_DEVICE;

        @AttributeDefinition(name = "device.limit", min = "1",
                description = "How many unique devices each license may be re-bound to; the device it was backed up on does not count, the same device again is free.")
        int device_limit() default EngineSettings.DEFAULT_DEVICE_LIMIT;

        @AttributeDefinition(name = "trusted.issuer.keys", description = "Base64 Ed25519 public keys of the issuers whose licenses are genuine.")
        String[] trusted_issuer_keys() default {};

        @AttributeDefinition(name = "support.url", description = "Where a refused user learns more; the key ID is appended as ?kid=. Empty: none.")
        String support_url() default "";

        @AttributeDefinition(name = "session.idle.timeout.seconds", min = "1",
                description = "A session unused this long ends, and its uncommitted re-bindings count no more.")
        long session_idle_timeout_seconds() default EngineSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

        @AttributeDefinition(name = "max.batch.licenses", min = "1", max = "2048", description = "The most licenses per request.")
        int max_batch_licenses() default Limits.MAX_BATCH_LICENSES;

        @AttributeDefinition(name = "database.path", description = "The embedded H2 database file when database.url is empty. Empty: "
                + DEFAULT_DATABASE_NAME + " in " + DataLocation.HOME_DESCRIPTION + ".")
        String database_path() default "";

        @AttributeDefinition(name = "database.url", description = "A JDBC URL of a database that several instances share, "
                + "e.g. jdbc:postgresql://host/db (its driver must register a DataSourceFactory; narrow the choice with "
                + "dataSourceFactory.target); empty: the embedded database, owned by this process.")
        String database_url() default "";

        @AttributeDefinition(name = "database.user", description = "The user database.url is reached as; empty: the driver's default.")
        String database_user() default "";

        /** Private (a leading dot), so that it is not published among the service's properties. */
        @AttributeDefinition(name = ".database.password", type = AttributeType.PASSWORD, description = "The password of database.user.")
        String _database_password() default "";

        @AttributeDefinition(name = "operator.enabled", description = "Whether the operator's listener runs: health ("
                + OperatorServer.LIVE + ", " + OperatorServer.READY + "), metrics in the Prometheus text format (" + OperatorServer.METRICS
                + ") and, with console.operators.file, the support console (" + SupportConsole.PATH + ").")
        boolean operator_enabled() default true;

        @AttributeDefinition(name = "operator.host", description = "The interface the operator's listener listens on: the loopback"
                + " address by default, so that only this machine (or a proxy on it) reaches health, metrics and the console.")
        String operator_host() default "127.0.0.1";

        @AttributeDefinition(name = "operator.port", min = "-1", max = "65535", description = "The operator's listener's port; -1: the"
                + " server's port + 1 (8481 by default), or any free port when port is 0; 0: any free port.")
        int operator_port() default -1;

        @AttributeDefinition(name = "console.operators.file", description = "The support console's operators, NAME:BCRYPT-HASH lines"
                + " that license:operator writes; empty: no console (there is no default operator).")
        String console_operators_file() default "";

        @AttributeDefinition(name = "console.session.idle.minutes", min = "1", description = "A console log-in unused this long ends"
                + " (and any, used or not, after 8 hours).")
        int console_session_idle_minutes() default 30;
    }

    private final LedgerDatabase database;
    private final LicenseServerEngine engine;
    private final HttpLicenseServer http;
    private final OperatorServer operator;
    private final ServiceRegistration<SupportCommand> supportCommand;
    private final ScheduledExecutorService sweeper;
    private final int deviceLimit;
    private final ServerMetrics metrics;
    private final SupportDesk desk;

    /**
     * Where the server's start and its own faults are reported; optional and dynamic, so that the
     * server runs without a log service and picks one up that starts after it.
     */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    /** As Declarative Services makes it, outside OSGi and in tests: no command waits for its start. */
    public LicenseServerComponent(BundleContext context, Config config, List<DataSourceFactory> drivers) {
        this(context, config, drivers, Map.of());
    }

    /**
     * @param context the bundle's context, or null outside OSGi (then {@code database.url} or
     *     {@code database.path} must be set)
     * @param drivers the JDBC drivers that may serve {@code database.url}: a new one restarts the
     *     server, so that one installed after it is configured is taken
     * @param properties the configuration's, whose revision mark tells {@code license:server} how
     *     its update went
     * @throws IllegalArgumentException for a configuration value it cannot take
     * @throws BackupRestoreException IO_ERROR when its surroundings fail it: the port is taken,
     *     the host is not this machine's, the database does not answer
     */
    @Activate
    public LicenseServerComponent(BundleContext context, Config config,
            @Reference(name = "dataSourceFactory", cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
            List<DataSourceFactory> drivers, Map<String, Object> properties) {
        String revision = properties.get(ServerCommand.REVISION) instanceof String mark ? mark : null;
        LedgerDatabase opened = null;
        try {
            EngineSettings settings = EngineSettings.of(config.device_limit(), config.trusted_issuer_keys(), config.support_url(),
                    config.session_idle_timeout_seconds(), config.max_batch_licenses(), config.max_live_nonces(), config.sessions_per_device());
            HttpLicenseServer.ConnectionLimits limits = new HttpLicenseServer.ConnectionLimits(config.request_header_timeout_ms(),
                    config.request_body_timeout_ms(), config.request_min_data_rate(), config.max_connections(),
                    config.max_connections_per_address(), config.nonces_per_second_per_address(), config.nonce_burst_per_address(),
                    config.request_body_budget_mb() * 1024L * 1024L);
            boolean embedded = config.database_url().isBlank();
            opened = embedded
                    ? LedgerDatabase.embedded(databaseFile(context, config), drivers)
                    : LedgerDatabase.shared(config.database_url(), config.database_user(), config._database_password(), drivers);
            database = opened;
            // The embedded database is this process's alone: sessions in it belong to a server that was killed.
            engine = new LicenseServerEngine(database.dataSource(), settings, Clock.systemUTC(), database.embedded());
            LedgerDatabase ledger = database;
            LicenseServerEngine counted = engine;
            Transactions sessionCount = new Transactions(database.dataSource());
            metrics = new ServerMetrics(Clock.systemUTC(), new ServerMetrics.Gauges(
                    () -> SupportDesk.openSessions(sessionCount, Clock.systemUTC().millis()), counted::liveNonceCount,
                    ledger::activeConnections, LedgerDatabase.MAX_CONNECTIONS));
            desk = new SupportDesk(database.dataSource(), settings.deviceLimit(), Clock.systemUTC(), metrics);
            RequestProcessor.FaultLog faults = new RequestProcessor.FaultLog() {
                @Override
                public void fault(String message, Throwable cause) {
                    logFault(message, cause);
                }

                @Override
                public void refused(String line) {
                    logRefused(line);
                }
            };
            http = new HttpLicenseServer(new HttpLicenseServer.Settings(config.host(), config.port(),
                    config.tls_keystore().isBlank() ? Optional.empty() : Optional.of(Path.of(config.tls_keystore())),
                    config._tls_keystore_password(), config.idle_timeout_ms(), config.max_threads(), limits),
                    new RequestProcessor(engine, faults, metrics), faults);
            deviceLimit = settings.deviceLimit();
            operator = config.operator_enabled() ? startOperatorServer(config, faults) : null;
        } catch (RuntimeException e) {
            closeQuietly(opened);
            RuntimeException reported = e instanceof IllegalArgumentException || e instanceof BackupRestoreException ? e
                    : new BackupRestoreException(org.licensebackup.api.ErrorCode.IO_ERROR, e.getMessage(), e);
            ServerStarts.failed(revision, reported);
            throw reported;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lms-server-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long sweepSeconds = Math.max(1, Math.min(60, config.session_idle_timeout_seconds()));
        sweeper.scheduleWithFixedDelay(this::sweep, sweepSeconds, sweepSeconds, TimeUnit.SECONDS);
        supportCommand = context == null ? null : context.registerService(SupportCommand.class, new SupportCommand(desk),
                SupportCommand.properties());
        ServerStarts.started(revision, this);
    }

    /**
     * Tells the operator where the server listens and its key, once Declarative Services has bound
     * the log service, which happens after the constructor.
     */
    @Activate
    void logStarted() {
        Logger log = logger;
        if (log != null) {
            log.info("License management server at {}, signing key {}, device limit {}", uri(),
                    PublicKeys.format(engine.keys().signingKey()), deviceLimit);
        }
    }

    /** A request refused for the client's fault: one line, at debug level, never a stack trace. */
    private void logRefused(String line) {
        Logger log = logger;
        if (log != null) {
            log.debug("refused {}", line);
        }
    }

    private void logFault(String message, Throwable cause) {
        Logger log = logger;
        if (log != null) {
            log.error("{}: {}", message, cause.toString(), cause);
        }
    }

    private void sweep() {
        try {
            engine.dropExpiredSessions();
        } catch (RuntimeException e) {
            // The next sweep tries again; counting never relies on it, since expired sessions count nothing.
            Logger log = logger;
            if (log != null) {
                log.warn("dropping expired restore sessions failed; the next sweep tries again: {}", e.toString(), e);
            }
        }
    }

    @Override
    public URI uri() {
        return http.uri();
    }

    @Override
    public ServiceKeys keys() {
        return engine.keys();
    }

    /** The in-process service, for hosts outside OSGi and tests; in OSGi, {@link InProcessLicenseManagementService} is its component. */
    public LicenseManagementService inProcessService() {
        return new InProcessLicenseManagementService(engine);
    }

    LicenseServerEngine engine() {
        return engine;
    }

    @Deactivate
    public void close() {
        if (supportCommand != null) {
            supportCommand.unregister();
        }
        closeQuietly(operator);
        sweeper.shutdownNow();
        closeQuietly(database);
    }

    private void closeQuietly(LedgerDatabase database) {
        RuntimeException failure = null;
        for (AutoCloseable part : new AutoCloseable[] {http, engine}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    failure = failure == null ? new IllegalStateException("the server did not close cleanly", e) : failure;
                }
            }
        }
        if (database != null) {
            try {
                database.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Where the operator's listener (health, metrics, console) listens; empty when operator.enabled is false. */
    public Optional<URI> operatorUri() {
        return Optional.ofNullable(operator).map(OperatorServer::uri);
    }

    /** What support staff see and do, as the console and license:support do it. */
    SupportDesk supportDesk() {
        return desk;
    }

    private OperatorServer startOperatorServer(Config config, RequestProcessor.FaultLog faults) {
        int port = config.operator_port() >= 0 ? config.operator_port() : http.uri().getPort() == 0 || config.port() == 0 ? 0 : config.port() + 1;
        Optional<SupportConsole> console = config.console_operators_file().isBlank() ? Optional.empty()
                : Optional.of(new SupportConsole(desk, new OperatorsFile(Path.of(config.console_operators_file())),
                        new ConsoleSessions(Clock.systemUTC(), java.time.Duration.ofMinutes(config.console_session_idle_minutes())), faults));
        return new OperatorServer(config.operator_host(), port, database.dataSource(), metrics, console, faults);
    }

    private static void closeQuietly(OperatorServer operator) {
        if (operator != null) {
            try {
                operator.close();
            } catch (Exception e) {
                // stopping a listener that failed or is stopping anyway: nothing is left to tell
            }
        }
    }

    private static Path databaseFile(BundleContext context, Config config) {
        return DataLocation.resolve(context, config.database_path(), DEFAULT_DATABASE_NAME, PID);
    }
}
