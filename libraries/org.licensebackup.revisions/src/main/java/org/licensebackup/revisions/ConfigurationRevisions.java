package org.licensebackup.revisions;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
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
 * configuration kept from the last run started it a moment earlier. Bundles take this class in
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
}
