package org.licensebackup.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.launching.LauncherContract;
import org.osgi.framework.Constants;

/**
 * {@code java -jar license-backup.jar [--home DIR] [--verbose] COMMAND [ARGS...]}: starts Felix with
 * the bundles in {@code bundles/} next to the jar, runs the command in it, stops it, and exits with
 * the command's exit code (0 done, 1 failed, 2 bad command line).
 */
public final class Main {

    /** The system property that points at another bundle directory. */
    static final String BUNDLES_PROPERTY = "licensebackup.bundles";
    /** The framework property that tells the bundles where the host keeps its data. */
    static final String HOME_PROPERTY = DataLocation.HOME_PROPERTY;
    /** The framework property that tells the bundles to log what they catch on the console. */
    static final String VERBOSE_PROPERTY = LauncherContract.VERBOSE_PROPERTY;
    /**
     * Felix Configuration Admin's folder for its files: in the home, so that the host's configuration
     * (which server it uses, for one) holds from one run to the next, while the framework's own cache
     * is made anew each run.
     */
    static final String CONFIGURATION_DIRECTORY = "felix.cm.dir";
    static final String CONFIGURATION_FOLDER = "config";
    /**
     * The framework's cache, in the home rather than in the system's temporary folder: the home lock
     * makes it this run's alone, and a run killed before it could delete it leaves one cache that
     * the next run in that home cleans, instead of a new one in the temporary folder each time.
     */
    static final String FRAMEWORK_CACHE_FOLDER = "framework-cache";
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;
    private static final Duration COMMAND_LINE_PATIENCE = Duration.ofSeconds(10);
    /**
     * Felix EventAdmin turns every bundle, service and log event into an event of its own, and queues
     * it even when no handler wants it; nothing here does, and when the framework stops, the queue
     * of events from bundles stopping runs into EventAdmin's own stop and it warns that events were
     * lost. Only the command line's own topics matter in this host.
     */
    private static final String EVENTADMIN_IGNORED_TOPICS = "org.apache.felix.eventadmin.IgnoreTopic";
    /** Every topic under these two; Felix adds the separator before the '*' itself. */
    private static final String FRAMEWORK_EVENT_TOPICS = "org/osgi/framework*,org/osgi/service/log*";

    /** Directories of this run only (the framework's cache, the demo's homes), deleted at exit. */
    private final List<Path> temporary = new ArrayList<>();
    private final PrintStream log;
    private EmbeddedFramework framework;
    private HomeLock homeLock;
    private boolean closed;

    Main(PrintStream log) {
        this.log = log;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.err).run(args));
    }

    int run(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (UsageException e) {
            log.println("error: " + e.getMessage());
            log.println(LauncherOptions.USAGE);
            return BAD_USAGE;
        }
        Optional<List<String>> serverJvm = ServerHeap.serverJvm(options.command(), args, System.getenv());
        if (serverJvm.isPresent()) {
            try {
                return ServerHeap.run(serverJvm.get());
            } catch (IOException e) {
                log.println("error: the license server's JVM did not start: " + e.getMessage());
                return FAILED;
            }
        }
        ServerHeap.endWithParent(System.getenv());
        // Ctrl-C stops the framework too, so that its bundles close their stores and cancel what runs.
        Thread closer = new Thread(this::close, "license-backup-shutdown");
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            return launch(options);
        } catch (LaunchException | IOException e) {
            log.println("error: " + e.getMessage());
            return FAILED;
        } finally {
            close();
            try {
                Runtime.getRuntime().removeShutdownHook(closer);
            } catch (IllegalStateException e) {
                // The JVM is shutting down already (Ctrl-C): the hook has done its work.
            }
        }
    }

    private int launch(LauncherOptions options) throws LaunchException, IOException {
        if (options.demo()) {
            // The demo runs a server and two hosts, each a process of its own, in homes it makes.
            return new Demo(LauncherProcess.thisLauncher(), System.out, temporaryDirectory("licensebackup-demo-")).run();
        }
        if (!options.verbose()) {
            // Jetty (through slf4j-jdk14) and SPI Fly report every start on java.util.logging;
            // a user sees warnings and the command's own lines, the rest with --verbose.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        Path home = options.home().orElse(Path.of(System.getProperty("user.home"), ".licensebackup")).toAbsolutePath();
        // Before the framework: a home that another process uses, or that is no folder, fails at once
        // with one line, instead of as stores and keys that do not open, one after the other.
        lock(home);
        deleteAtExit(home.resolve(FRAMEWORK_CACHE_FOLDER));
        Map<String, String> properties = frameworkProperties(home, options.verbose());
        long started = System.nanoTime();
        Role role = Role.of(options.command());
        EmbeddedFramework running = adopt(EmbeddedFramework.start(properties, bundleDirectory(), role));
        Duration bundlesStarted = since(started);
        running.failures().forEach(failure -> log.println("warning: " + failure));
        Function<String[], Integer> commandLine = running.commandLine(COMMAND_LINE_PATIENCE);
        if (options.verbose()) {
            log.println(String.format(Locale.ROOT, "framework started with %d bundles %s in %d ms;"
                    + " the command line was ready after %d ms; home %s", running.bundleCount(),
                    running.failures().isEmpty() ? "all ACTIVE" : "(" + running.failures().size() + " not ACTIVE)",
                    bundlesStarted.toMillis(), since(started).toMillis(), home));
        }
        if (options.connectCommand().isPresent()) {
            Integer connected = commandLine.apply(options.connectCommand().get().toArray(String[]::new));
            if (connected == null || connected != 0) {
                return connected == null ? FAILED : connected;
            }
        }
        Integer exitCode = commandLine.apply(options.command().toArray(String[]::new));
        return exitCode == null ? FAILED : exitCode;
    }

    /** The framework's properties for a run in {@code home}: its cache, data and configuration there. */
    static Map<String, String> frameworkProperties(Path home, boolean verbose) {
        return Map.of(
                Constants.FRAMEWORK_STORAGE, home.resolve(FRAMEWORK_CACHE_FOLDER).toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                HOME_PROPERTY, home.toString(),
                CONFIGURATION_DIRECTORY, home.resolve(CONFIGURATION_FOLDER).toString(),
                EVENTADMIN_IGNORED_TOPICS, FRAMEWORK_EVENT_TOPICS,
                VERBOSE_PROPERTY, Boolean.toString(verbose));
    }

    /** Where the bundles are: {@code -Dlicensebackup.bundles}, else {@code bundles/} next to the launcher jar. */
    static Path bundleDirectory() throws LaunchException {
        String configured = System.getProperty(BUNDLES_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        CodeSource codeSource = Main.class.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            throw new LaunchException("cannot tell where the launcher jar is; set -D" + BUNDLES_PROPERTY + "=DIR");
        }
        try {
            Path launcher = Path.of(codeSource.getLocation().toURI());
            return launcher.toAbsolutePath().getParent().resolve("bundles");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new LaunchException("cannot tell where the launcher jar is (" + codeSource.getLocation()
                    + "); set -D" + BUNDLES_PROPERTY + "=DIR", e);
        }
    }

    /** Takes charge of a started framework, or stops it at once when the JVM is shutting down meanwhile. */
    private synchronized EmbeddedFramework adopt(EmbeddedFramework started) throws LaunchException {
        if (closed) {
            started.stop(log);
            throw new LaunchException("interrupted while starting");
        }
        framework = started;
        return started;
    }

    private synchronized Path temporaryDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        temporary.add(directory);
        return directory;
    }

    private synchronized void deleteAtExit(Path directory) {
        temporary.add(directory);
    }

    private synchronized void lock(Path home) throws LaunchException {
        if (closed) {
            throw new LaunchException("interrupted while starting");
        }
        homeLock = HomeLock.acquire(home);
    }

    /** Stops the framework and deletes this run's directories, once, whether the run ended or was interrupted. */
    private synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (framework != null) {
            framework.stop(log);
        }
        for (Path directory : temporary) {
            try {
                deleteRecursively(directory);
            } catch (IOException e) {
                log.println("warning: could not delete " + directory + ": " + e.getMessage());
            }
        }
        if (homeLock != null) {
            try {
                homeLock.close();
            } catch (IOException e) {
                // The process ends next, and the operating system releases the lock with it.
                log.println("warning: could not release the home's lock: " + e.getMessage());
            }
        }
    }

    /** Deletes {@code directory} and everything in it; one that does not exist is fine. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
