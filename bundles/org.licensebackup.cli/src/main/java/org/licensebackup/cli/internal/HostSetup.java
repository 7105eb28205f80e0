package org.licensebackup.cli.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.lms.server.LicenseServer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Configures the parts a command line points somewhere: the license management client (which
 * server this host uses) and the license management server (the {@code server} command). The
 * launcher keeps Configuration Admin's files in the host's home, so what is set here holds for the
 * next runs too.
 */
final class HostSetup {

    static final String CLIENT_PID = "org.licensebackup.lms.client";
    static final String SERVER_PID = "org.licensebackup.lms.server";
    static final String POSTGRES_STORE_PID = "org.licensebackup.store.postgres";
    private static final String STORE_SERVICE = "org.licensebackup.store.LicenseStore";
    private static final String LMS_SERVICE = "org.licensebackup.lms.LicenseManagementService";
    /** The configuration property that marks one update of the command line's. */
    static final String REVISION = "licensebackup.setup.revision";
    /** Visible to every bundle: a configuration bound to this bundle would never reach the client or the server. */
    private static final String ANY_BUNDLE = "?";

    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private final Duration patience;

    HostSetup(ConfigurationAdmin configurationAdmin, BundleContext context, Duration patience) {
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
        this.context = Objects.requireNonNull(context, "context");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /** Points the license management client at {@code url} and waits until the host uses it. */
    void connect(Command.Connect connect) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("url", connect.url());
        properties.put("server.key", connect.serverKey().orElse(""));
        String revision = update(configuration(CLIENT_PID), properties);
        awaitService("(&(objectClass=" + LMS_SERVICE + ")(" + REVISION + "=" + revision + "))",
                "the license management client for " + connect.url());
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
        String revision = update(configuration, properties);
        awaitService("(&(objectClass=" + STORE_SERVICE + ")(" + REVISION + "=" + revision + "))",
                "the PostgreSQL store at " + postgres.get().url());
    }

    /**
     * Configures and starts the server, and waits until it listens.
     *
     * @return its URL and signing key (base64)
     */
    Map.Entry<String, String> startServer(ServerSettings settings) throws IOException {
        Configuration configuration = configuration(SERVER_PID);
        Dictionary<String, Object> properties = configuration.getProperties() == null ? new Hashtable<>()
                : configuration.getProperties();
        settings.host().ifPresent(host -> properties.put("host", host));
        settings.port().ifPresent(port -> properties.put("port", port));
        settings.deviceLimit().ifPresent(limit -> properties.put("device.limit", limit));
        settings.supportUrl().ifPresent(url -> properties.put("support.url", url));
        if (settings.database().isPresent()) {
            settings.database().get().putInto(properties);
        }
        if (!settings.trustedIssuers().isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (String key : settings.trustedIssuers()) {
                keys.add(key.startsWith("@") ? Files.readString(Path.of(key.substring(1)), StandardCharsets.US_ASCII).trim() : key);
            }
            properties.put("trusted.issuer.keys", keys.toArray(String[]::new));
        }
        String revision = update(configuration, properties);
        ServiceReference<?> reference = awaitService("(&(objectClass=" + LicenseServer.class.getName() + ")("
                + REVISION + "=" + revision + "))", "the license server");
        LicenseServer server = (LicenseServer) context.getService(reference);
        try {
            String uri = server.uri().toString();
            String key = Base64.getEncoder().encodeToString(server.keys().signingKey());
            if (settings.infoFile().isPresent()) {
                writeInfo(settings.infoFile().get(), uri, key);
            }
            return Map.entry(uri, key);
        } finally {
            context.ungetService(reference);
        }
    }


    /** Written whole under another name, then moved, so that a reader never sees half of it. */
    private static void writeInfo(Path file, String uri, String key) throws IOException {
        Properties info = new Properties();
        info.setProperty("url", uri);
        info.setProperty("key", key);
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.ISO_8859_1)) {
            info.store(out, "License management server");
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Updates the configuration with a new revision mark, which Declarative Services copies into the
     * component's service properties: waiting for the mark, not for any service, sees the component
     * as the update left it, not as the configuration kept from the last run started it a moment earlier.
     *
     * @return the mark
     */
    private static String update(Configuration configuration, Dictionary<String, Object> properties) throws IOException {
        String revision = UUID.randomUUID().toString();
        properties.put(REVISION, revision);
        configuration.update(properties);
        return revision;
    }

    private Configuration configuration(String pid) throws IOException {
        return configurationAdmin.getConfiguration(pid, ANY_BUNDLE);
    }

    private ServiceReference<?> awaitService(String filterText, String what) {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter(filterText, what), null);
        tracker.open();
        try {
            if (tracker.waitForService(patience.toMillis()) == null) {
                throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE,
                        what + " did not start within " + patience.toSeconds() + " s (see the log with --verbose)");
            }
            return tracker.getServiceReference();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for " + what);
        } finally {
            tracker.close();
        }
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
