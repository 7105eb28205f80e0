package org.licensebackup.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.licensebackup.datalocation.DataLocation;
import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of the container tests: a Felix framework with every License Backup bundle, the
 * runtime bundles they need, and a fresh {@value #HOME_PROPERTY} directory per container.
 *
 * <p>A test class extends it and adds {@code @RunWith(PaxExam.class)} and
 * {@code @ExamReactorStrategy(PerClass.class)} (one container per class); its test methods then run
 * inside the container, and everything they acquire through the helpers is released after each test:
 *
 * <pre>{@code
 * @RunWith(PaxExam.class)
 * @ExamReactorStrategy(PerClass.class)
 * public class BackupIT extends LicenseBackupTestSupport {
 *     @Test
 *     public void aBackupEndsCompleted() {
 *         EventRecorder events = recordEvents(EventTopics.BACKUP_END);
 *         BackupRestorer restorer = awaitService(BackupRestorer.class, DEFAULT_TIMEOUT);
 *         ...
 *         Event end = events.await(EventTopics.BACKUP_END, Duration.ofSeconds(30));
 *     }
 * }
 * }</pre>
 *
 * <p>The container runs every bundle that the build copied into {@code target/bundles} (the
 * {@code provided} dependencies of this module), so a new bundle is added there, not here. Name
 * container tests {@code *IT}: failsafe runs them in {@code mvn verify}.
 */
public abstract class LicenseBackupTestSupport {

    /** The framework property that the License Backup bundles keep their files under. */
    public static final String HOME_PROPERTY = DataLocation.HOME_PROPERTY;

    /**
     * How long the helpers wait when a test does not say: a bound on a wait that ends as soon as its
     * condition holds, long enough for a build machine whose load is many times its cores (10 s
     * once let a server's start-up at load 30 pass for a failure).
     */
    protected static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The configuration property that {@link #configure} adds, so that it can tell when the
     * component's service shows the new configuration rather than an older one.
     */
    static final String CONFIGURATION_REVISION = "licensebackup.itest.revision";

    private static final String BUNDLES_DIRECTORY_PROPERTY = "licensebackup.itest.bundles";
    private static final String HOMES_DIRECTORY_PROPERTY = "licensebackup.itest.homes";

    private final List<ServiceTracker<?, ?>> openTrackers = new ArrayList<>();
    private final List<EventRecorder> openRecorders = new ArrayList<>();

    @Configuration
    public Option[] containerConfiguration() throws IOException {
        List<Option> options = new ArrayList<>();
        options.add(homeOption());
        options.add(junitBundles());
        for (Path bundle : containerBundles()) {
            options.add(bundle(bundle.toUri().toString()));
        }
        options.addAll(List.of(additionalOptions()));
        return options.toArray(Option[]::new);
    }

    /** Where the bundles keep their files: {@value #HOME_PROPERTY}, a fresh directory for each container. */
    protected Option homeOption() throws IOException {
        return frameworkProperty(HOME_PROPERTY).value(freshHomeDirectory().toString());
    }

    /** Options a test class adds to the container, e.g. more framework properties. */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /** The context of the test probe, the bundle that the test methods run in. */
    protected BundleContext bundleContext() {
        return FrameworkUtil.getBundle(getClass()).getBundleContext();
    }

    /**
     * A service of {@code type}, waiting up to {@code timeout} for one to be registered. The
     * service stays in use until the end of the test, so that a delayed component is not
     * deactivated under the test's feet.
     *
     * @throws AssertionError when none is registered in time
     */
    protected <T> T awaitService(Class<T> type, Duration timeout) {
        return awaitService(type, null, timeout);
    }

    /**
     * A service of {@code type} whose properties match the LDAP {@code filter} (may be null),
     * waiting up to {@code timeout}; otherwise like {@link #awaitService(Class, Duration)}.
     */
    protected <T> T awaitService(Class<T> type, String filter, Duration timeout) {
        ServiceTracker<T, T> tracker = awaitTracked(type, filter, timeout);
        return tracker.getService();
    }

    /**
     * The reference of a service of {@code type} whose properties match {@code filter} (may be
     * null), waiting up to {@code timeout}; the service stays in use until the end of the test.
     *
     * @throws AssertionError when none is registered in time
     */
    protected <T> ServiceReference<T> awaitServiceReference(Class<T> type, String filter, Duration timeout) {
        ServiceTracker<T, T> tracker = awaitTracked(type, filter, timeout);
        return tracker.getServiceReference();
    }

    /**
     * Starts recording the events of {@code topics} (wildcards as EventAdmin allows them, e.g.
     * {@code org/licensebackup/backup/*}). The recorder stops at the end of the test.
     */
    protected EventRecorder recordEvents(String... topics) {
        EventRecorder recorder = EventRecorder.register(bundleContext(), topics);
        openRecorders.add(recorder);
        return recorder;
    }

    /** {@link #configure(String, Map, Duration)} with the {@linkplain #DEFAULT_TIMEOUT default timeout}. */
    protected ServiceReference<?> configure(String pid, Map<String, ?> properties) {
        return configure(pid, properties, DEFAULT_TIMEOUT);
    }

    /**
     * Replaces the configuration {@code pid} with {@code properties} through Configuration Admin
     * and waits until the component's service is registered with them, that is, until the
     * component was modified or re-activated with the new configuration. Works for components
     * that publish a service (DS copies the configuration into the service properties).
     *
     * @return the reference of the reconfigured service
     * @throws AssertionError when the service does not show the new configuration in time
     */
    protected ServiceReference<?> configure(String pid, Map<String, ?> properties, Duration timeout) {
        ConfigurationAdmin configurationAdmin = awaitService(ConfigurationAdmin.class, timeout);
        String revision = UUID.randomUUID().toString();
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        dictionary.put(CONFIGURATION_REVISION, revision);
        try {
            // "?" leaves the configuration to whichever bundle has the component; the probe's own
            // location would hide it from every other bundle
            configurationAdmin.getConfiguration(pid, "?").update(dictionary);
        } catch (IOException e) {
            throw new AssertionError("cannot update configuration " + pid, e);
        }
        ServiceTracker<Object, Object> tracker = openTracker("(" + CONFIGURATION_REVISION + "=" + revision + ")");
        if (waitForService(tracker, timeout) == null) {
            throw new AssertionError("no service of component " + pid + " shows the new configuration within " + timeout);
        }
        return tracker.getServiceReference();
    }

    @After
    public void releaseServicesAndRecorders() {
        openRecorders.forEach(EventRecorder::close);
        openRecorders.clear();
        openTrackers.forEach(ServiceTracker::close);
        openTrackers.clear();
    }

    private <T> ServiceTracker<T, T> awaitTracked(Class<T> type, String filter, Duration timeout) {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        String combined = filter == null ? objectClass : "(&" + objectClass + filter + ")";
        @SuppressWarnings("unchecked")
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) (ServiceTracker<?, ?>) openTracker(combined);
        if (waitForService(tracker, timeout) == null) {
            throw new AssertionError("no service " + combined + " within " + timeout);
        }
        return tracker;
    }

    private ServiceTracker<Object, Object> openTracker(String filter) {
        ServiceTracker<Object, Object> tracker;
        try {
            BundleContext context = bundleContext();
            tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not an LDAP filter: " + filter, e);
        }
        tracker.open();
        openTrackers.add(tracker);
        return tracker;
    }

    private static Object waitForService(ServiceTracker<?, ?> tracker, Duration timeout) {
        try {
            return tracker.waitForService(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a service", e);
        }
    }

    protected static Path freshHomeDirectory() throws IOException {
        Path homes = Path.of(requiredSystemProperty(HOMES_DIRECTORY_PROPERTY));
        Files.createDirectories(homes);
        return Files.createTempDirectory(homes, "home-");
    }

    private static List<Path> containerBundles() throws IOException {
        Path directory = Path.of(requiredSystemProperty(BUNDLES_DIRECTORY_PROPERTY));
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(directory + " does not exist: the build copies the container's bundles"
                    + " there in pre-integration-test; run the tests through 'mvn verify'");
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> bundles = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (bundles.isEmpty()) {
                throw new IllegalStateException("no bundles in " + directory);
            }
            return bundles;
        }
    }

    private static String requiredSystemProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through"
                    + " failsafe ('mvn verify'), which sets it");
        }
        return value;
    }
}
