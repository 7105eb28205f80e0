package org.licensebackup.revisions;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.UUID;
import java.util.function.Function;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A command that configures a component and then waits for it: the update carries a new revision
 * mark, which Declarative Services copies into the component's service properties, so that waiting
 * for the mark, not for any service, sees the component as this update left it, not as the
 * configuration kept from the last run started it a moment earlier. A bundle's command configures
 * that bundle's own component (its PID is no other bundle's business); bundles take this class in
 * privately (bnd {@code -conditionalpackage}), so it is no API.
 */
public final class ConfigurationRevisions {

    /** The configuration property, and so the service property, that carries the mark. */
    public static final String PROPERTY = "licensebackup.setup.revision";
    /** Visible to every bundle: a configuration bound to the bundle that writes it would never reach the component. */
    public static final String ANY_BUNDLE = "?";

    private ConfigurationRevisions() {
    }

    /**
     * Updates {@code configuration} with {@code properties} and a new mark.
     *
     * @return the mark
     */
    public static String update(Configuration configuration, Dictionary<String, Object> properties) throws IOException {
        return update(configuration, properties, newRevision());
    }

    /** A new mark, for a caller that must know it before the update reaches the component. */
    public static String newRevision() {
        return UUID.randomUUID().toString();
    }

    /**
     * Updates {@code configuration} with {@code properties} and the mark {@code revision}.
     *
     * @return the mark
     */
    public static String update(Configuration configuration, Dictionary<String, Object> properties, String revision) throws IOException {
        properties.put(PROPERTY, revision);
        configuration.update(properties);
        return revision;
    }

    /**
     * Waits up to {@code patience} for the service of {@code objectClass} that carries {@code revision},
     * and reads it while it is registered.
     *
     * @param what the service as a user knows it, for the error
     * @throws BackupRestoreException {@link ErrorCode#RESTORE_SERVICE_UNAVAILABLE} when none comes in
     *     time, {@link ErrorCode#CANCELLED} when interrupted
     */
    public static <R> R await(BundleContext context, String objectClass, String revision, Duration patience, String what,
            Function<Object, R> read) {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter("(&(objectClass=" + objectClass + ")("
                    + PROPERTY + "=" + revision + "))"), null);
        } catch (InvalidSyntaxException e) {
            throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "cannot look for " + what + ": " + e.getMessage(), e);
        }
        tracker.open();
        try {
            Object service = tracker.waitForService(patience.toMillis());
            if (service == null) {
                throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE,
                        what + " did not start within " + patience.toSeconds() + " s (see the log with --verbose)");
            }
            return read.apply(service);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for " + what);
        } finally {
            tracker.close();
        }
    }

    /**
     * Sets {@code given} over what {@code configuration} held, with a new mark, and waits up to
     * {@code patience} for the service of {@code objectClass} that carries it; when none comes, or
     * anything else fails, the configuration is put back as it was.
     *
     * @return what {@code read} made of the service
     */
    public static <R> R updateAndAwait(BundleContext context, Configuration configuration, Dictionary<String, Object> given,
            String objectClass, Duration patience, String what, Function<Object, R> read) throws IOException {
        Dictionary<String, Object> before = configuration.getProperties();
        try {
            return await(context, objectClass, update(configuration, merged(before, given)), patience, what, read);
        } catch (RuntimeException e) {
            putBack(configuration, before);
            throw e;
        }
    }

    /** A new dictionary of {@code before} (none: empty) with {@code given} set over it. */
    public static Dictionary<String, Object> merged(Dictionary<String, Object> before, Dictionary<String, Object> given) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (Dictionary<String, Object> source : before == null ? java.util.List.of(given) : java.util.List.of(before, given)) {
            for (Enumeration<String> keys = source.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                properties.put(key, source.get(key));
            }
        }
        return properties;
    }

    /** Puts {@code configuration} back as it was before a failed update: none, or {@code before}. */
    public static void putBack(Configuration configuration, Dictionary<String, Object> before) throws IOException {
        if (before == null) {
            configuration.delete();
        } else {
            configuration.update(before);
        }
    }
}
