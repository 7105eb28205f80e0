package org.licensebackup.store.postgres.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.options.DatabaseOptions;
import org.licensebackup.options.DatabaseSettings;
import org.licensebackup.options.Options;
import org.licensebackup.revisions.ConfigurationRevisions;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code license:store postgres JDBC-URL [--database-user USER] [--database-password-file FILE]}
 * makes the host keep its licenses in this bundle's PostgreSQL store from now on, in place of the
 * embedded store (whose file stays as it is), and waits until the store serves; when it does not,
 * the configuration is put back as it was. {@code license:store embedded} deletes the configuration
 * and waits until the PostgreSQL store is gone, so that the embedded one serves again. A Gogo
 * command, which the launcher's command line runs as {@code store} and a Gogo or Karaf console runs
 * as it is; Configuration Admin keeps the configuration for the next runs.
 */
@Component(service = StoreCommand.class, property = {"osgi.command.scope=license", "osgi.command.function=store"})
public final class StoreCommand {

    /** Above the embedded store's, the lowest: the host swaps to this store once it is registered. */
    static final int RANKING_OVER_EMBEDDED = 1;
    /** The store opens its connection pool: longer than a lookup. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public StoreCommand(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.context = Objects.requireNonNull(context, "context");
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
    }

    /**
     * @throws IllegalArgumentException for arguments this does not take: exit 2 on the command line
     * @throws BackupRestoreException when the store does not start (RESTORE_SERVICE_UNAVAILABLE, the
     *     reason in the log under --verbose) or does not stop (STORE_UNAVAILABLE), or a file named
     *     cannot be read (IO_ERROR)
     */
    public void store(String... args) {
        Optional<DatabaseSettings> postgres = parse(args);
        try {
            Configuration configuration = configurationAdmin.getConfiguration(PostgresLicenseStoreComponent.PID,
                    ConfigurationRevisions.ANY_BUNDLE);
            if (postgres.isEmpty()) {
                configuration.delete();
                awaitNoPostgresStore();
            } else {
                Dictionary<String, Object> given = new Hashtable<>();
                // the password file is read before Configuration Admin is asked: it keeps a configuration it was asked for
                postgres.get().putInto(given);
                given.put("service.ranking", RANKING_OVER_EMBEDDED);
                ConfigurationRevisions.updateAndAwait(context, configuration, given, LicenseStore.class.getName(), PATIENCE,
                        "the PostgreSQL store at " + postgres.get().url(), service -> service);
            }
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, e.getMessage(), e);
        }
        // read when the command runs: Gogo points System.out at the session of the thread that runs a command
        PrintStream print = System.out;
        print.println(postgres.map(database -> "this host now keeps its licenses in the PostgreSQL database at "
                + database.url() + " (the embedded store's file stays as it is)")
                .orElse("this host now keeps its licenses in the embedded store again"));
        print.flush();
    }

    /**
     * @return the database named, or none for {@code embedded}
     * @throws IllegalArgumentException for anything else
     */
    static Optional<DatabaseSettings> parse(String... args) {
        List<String> rest = args == null ? List.of() : List.of(args);
        if (rest.equals(List.of("embedded"))) {
            return Optional.empty();
        }
        if (rest.size() < 2 || !rest.get(0).equals("postgres") || rest.get(1).startsWith("--")) {
            throw new IllegalArgumentException("store needs embedded, or postgres and the database's JDBC URL");
        }
        DatabaseOptions database = new DatabaseOptions("store");
        database.url(rest.get(1));
        for (int i = 2; i < rest.size(); i++) {
            String option = rest.get(i);
            if (!database.take(option, Options.valueAfter("store", rest, i++))) {
                throw new IllegalArgumentException("store: unknown option " + option);
            }
        }
        return database.settings();
    }

    /** A component whose configuration was deleted goes asynchronously: until it has, the host would still use it. */
    private void awaitNoPostgresStore() {
        CountDownLatch gone = new CountDownLatch(1);
        ServiceTracker<LicenseStore, LicenseStore> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + LicenseStore.class.getName() + ")("
                    + StoreProperties.NAME + "=" + PostgresLicenseStoreComponent.STORE_NAME + "))"), null) {

                @Override
                public void removedService(ServiceReference<LicenseStore> reference, LicenseStore service) {
                    super.removedService(reference, service);
                    if (isEmpty()) {
                        gone.countDown();
                    }
                }
            };
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the PostgreSQL store's filter is malformed", e);
        }
        tracker.open();
        try {
            if (!tracker.isEmpty() && !gone.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE,
                        "the PostgreSQL store did not stop within " + PATIENCE.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for the PostgreSQL store to stop");
        } finally {
            tracker.close();
        }
    }
}
