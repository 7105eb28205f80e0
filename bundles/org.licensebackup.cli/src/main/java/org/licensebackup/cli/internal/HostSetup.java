package org.licensebackup.cli.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.options.DatabaseSettings;
import org.licensebackup.revisions.ConfigurationRevisions;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Configures the parts a command line points somewhere: the license management client (which
 * server this host uses) and the store (PostgreSQL or the embedded one). The
 * launcher keeps Configuration Admin's files in the host's home, so what is set here holds for the
 * next runs too.
 */
final class HostSetup {

    static final String CLIENT_PID = "org.licensebackup.lms.client";
    static final String POSTGRES_STORE_PID = "org.licensebackup.store.postgres";
    private static final String STORE_SERVICE = "org.licensebackup.store.LicenseStore";
    private static final String LMS_SERVICE = "org.licensebackup.lms.LicenseManagementService";

    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private final Duration patience;

    HostSetup(ConfigurationAdmin configurationAdmin, BundleContext context, Duration patience) {
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
        this.context = Objects.requireNonNull(context, "context");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /**
     * Points the license management client at {@code url} and waits until the host uses it; when it
     * does not come, the client's configuration is put back as it was.
     */
    void connect(Command.Connect connect) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("url", connect.url());
        properties.put("server.key", connect.serverKey().orElse(""));
        Configuration configuration = configuration(CLIENT_PID);
        Dictionary<String, Object> before = configuration.getProperties();
        try {
            await(LMS_SERVICE, ConfigurationRevisions.update(configuration, properties), "the license management client for " + connect.url());
        } catch (RuntimeException e) {
            if (before == null) {
                configuration.delete();
            } else {
                configuration.update(before);
            }
            throw e;
        }
    }

    /**
     * Makes this host keep its licenses in a PostgreSQL database from now on, in place of the
     * embedded store (whose file stays as it is), and waits until that store serves; or, with none,
     * goes back to the embedded store.
     */
    void useStore(java.util.Optional<DatabaseSettings> postgres) throws IOException {
        Configuration configuration = configuration(POSTGRES_STORE_PID);
        if (postgres.isEmpty()) {
            configuration.delete();
            awaitNoService("(&(objectClass=" + STORE_SERVICE + ")(licensebackup.store.name=postgres))", "the PostgreSQL store");
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        postgres.get().putInto(properties);
        // above the embedded store, whose ranking is the lowest
        properties.put("service.ranking", 1);
        await(STORE_SERVICE, ConfigurationRevisions.update(configuration, properties), "the PostgreSQL store at " + postgres.get().url());
    }

    private Configuration configuration(String pid) throws IOException {
        return configurationAdmin.getConfiguration(pid, ConfigurationRevisions.ANY_BUNDLE);
    }

    private void await(String objectClass, String revision, String what) {
        ConfigurationRevisions.await(context, objectClass, revision, patience, what, service -> service);
    }

    /** Waits until no service matches: a component whose configuration was deleted goes asynchronously. */
    private void awaitNoService(String filterText, String what) {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter(filterText, what), null);
        tracker.open();
        try {
            long deadline = System.nanoTime() + patience.toNanos();
            while (tracker.getServiceReference() != null) {
                if (System.nanoTime() > deadline) {
                    throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, what + " did not stop within " + patience.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for " + what + " to stop");
        } finally {
            tracker.close();
        }
    }

    private static Filter filter(String filterText, String what) {
        try {
            return FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "cannot look for " + what + ": " + e.getMessage());
        }
    }
}
