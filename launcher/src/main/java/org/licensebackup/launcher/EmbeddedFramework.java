package org.licensebackup.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.licensebackup.launching.LauncherContract;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/** An OSGi framework started in this JVM with every bundle of a directory. */
final class EmbeddedFramework {

    /** The service property that marks the command line among the {@code Function} services. */
    static final String COMMAND_LINE_FILTER =
            "(&(" + Constants.OBJECTCLASS + "=java.util.function.Function)(" + LauncherContract.COMMAND_LINE_PROPERTY + "=true))";
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    private static final String PRODUCT_PREFIX = "org.licensebackup.";

    private final Framework framework;
    private final List<String> failures;

    private EmbeddedFramework(Framework framework, List<String> failures) {
        this.framework = framework;
        this.failures = failures;
    }

    /**
     * Starts a framework with {@code properties}, then installs and starts the jars in
     * {@code bundleDirectory} of the bundles {@code role} runs. A bundle that does not start does not stop
     * the others; see {@link #failures()}.
     *
     * @throws LaunchException when the framework itself cannot start, or the directory lacks the
     *     role's resolved bndrun or one of its bundles
     */
    static EmbeddedFramework start(Map<String, String> properties, Path bundleDirectory, Role role)
            throws LaunchException {
        List<Path> jars = jarsOf(role, bundleDirectory);
        requireRoomForTheCache(Path.of(properties.get(Constants.FRAMEWORK_STORAGE)), jars);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(properties);
        try {
            framework.start();
        } catch (BundleException e) {
            throw new LaunchException("the framework did not start: " + e.getMessage(), e);
        }
        BundleContext context = framework.getBundleContext();
        List<String> failures = new ArrayList<>();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            try {
                installed.add(context.installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                failures.add(jar.getFileName() + " did not install: " + e.getMessage());
            }
        }
        // Libraries first, the product last: a component that starts at once (the license server)
        // finds its logging provider, woven by SPI Fly, and everything else it uses already running.
        installed.sort(Comparator.comparing(EmbeddedFramework::isProduct));
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    failures.add(bundle.getSymbolicName() + " did not start: " + e.getMessage());
                }
            }
        }
        return new EmbeddedFramework(framework, failures);
    }

    /**
     * The framework copies every bundle into its cache: on a disk too full for that, each bundle
     * would fail to install with a message of its own and the command line would never come, so the
     * launcher says what is wrong at once, in one line.
     */
    static void requireRoomForTheCache(Path cache, List<Path> jars) throws LaunchException {
        long needed = 0;
        long free;
        try {
            for (Path jar : jars) {
                needed += Files.size(jar);
            }
            Path existing = cache.toAbsolutePath();
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent();
            }
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            throw new LaunchException("IO_ERROR: cannot tell how much room the disk of " + cache + " has: " + e, e);
        }
        requireRoom(cache, free, needed);
    }

    /** @param needed the bytes of the bundles the framework copies into {@code cache} */
    static void requireRoom(Path cache, long free, long needed) throws LaunchException {
        // the cache also holds the bundles' data: a quarter more is room enough
        long wanted = needed + needed / 4;
        if (free < wanted) {
            throw new LaunchException(String.format(Locale.ROOT, "IO_ERROR: the disk of %s is too full for the framework's"
                    + " cache: %,d KiB free, the bundles need about %,d KiB; free some room there, or give --home a folder on"
                    + " another disk", cache, free >> 10, wanted >> 10));
        }
    }

    private static boolean isProduct(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null && name.startsWith(PRODUCT_PREFIX);
    }

    /** What went wrong installing and starting the bundles, one line each. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The framework's own context: for a caller in this JVM that looks up the bundles' services. */
    BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** How many bundles are installed besides the framework. */
    int bundleCount() {
        return framework.getBundleContext().getBundles().length - 1;
    }

    /**
     * The command line that the bundles register, waiting up to {@code patience} for it.
     *
     * @throws LaunchException when it does not come in time
     */
    @SuppressWarnings("unchecked")
    Function<String[], Integer> commandLine(Duration patience) throws LaunchException {
        BundleContext context = framework.getBundleContext();
        Filter filter;
        try {
            filter = context.createFilter(COMMAND_LINE_FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the command line filter is malformed", e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null);
        tracker.open();
        try {
            Object service = tracker.waitForService(patience.toMillis());
            if (service == null) {
                throw new LaunchException("the command line service did not come within " + patience.toSeconds()
                        + " s" + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
            }
            // java.util.function.Function comes from the JDK on both sides of the framework boundary.
            return (Function<String[], Integer>) service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for the command line service", e);
        }
    }

    /** Stops the framework and every bundle in it, waiting a while for them. */
    void stop(PrintStream log) {
        try {
            framework.stop();
            if (framework.waitForStop(STOP_PATIENCE.toMillis()).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                log.println("warning: the framework did not stop within " + STOP_PATIENCE.toSeconds() + " s");
            }
        } catch (BundleException e) {
            log.println("warning: the framework did not stop cleanly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The jars of the bundles {@code role} runs, one for each bundle its resolved bndrun lists. */
    static List<Path> jarsOf(Role role, Path bundleDirectory) throws LaunchException {
        List<Path> all = jarsIn(bundleDirectory);
        Set<String> wanted = role.bundles(bundleDirectory);
        List<Path> jars = new ArrayList<>();
        Set<String> found = new HashSet<>();
        for (Path jar : all) {
            String name = symbolicName(jar);
            if (wanted.contains(name) && found.add(name)) {
                jars.add(jar);
            }
        }
        if (found.size() < wanted.size()) {
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(found);
            throw new LaunchException("the bundle directory " + bundleDirectory + " lacks what " + role.runDescription(bundleDirectory)
                    .getFileName() + " runs: " + String.join(", ", missing));
        }
        return jars;
    }

    /** The jar's Bundle-SymbolicName without its directives, or its file name when it has none. */
    static String symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return name == null ? jar.getFileName().toString() : name.split(";", 2)[0].trim();
        } catch (IOException e) {
            // Installing it will fail with a clear message of its own.
            return jar.getFileName().toString();
        }
    }

    private static List<Path> jarsIn(Path directory) throws LaunchException {
        if (!Files.isDirectory(directory)) {
            throw new LaunchException("no bundle directory at " + directory
                    + " (put the bundles in bundles/ next to the launcher jar, or set -Dlicensebackup.bundles=DIR)");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new LaunchException("cannot list the bundles in " + directory + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new LaunchException("no bundle (*.jar) in " + directory);
        }
        return jars;
    }
}
