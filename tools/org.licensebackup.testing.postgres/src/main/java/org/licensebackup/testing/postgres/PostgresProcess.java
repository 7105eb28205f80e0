package org.licensebackup.testing.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests, started from the binaries that Maven Central carries
 * ({@link PostgresBinaries}, never the machine's own) in a fresh cluster of its own, in a temporary
 * folder, bounded in time, and stopped at {@link #close()} or when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root, the cluster runs as the user
 * {@value #UNPRIVILEGED_USER}, which every Linux has, through {@code runuser}; its temporary folder
 * belongs to that user. If that user cannot reach the build's copy of the binaries (a build folder
 * under a home that others may not enter), the cluster gets a copy of its own in its folder.
 *
 * <p>PostgreSQL cannot be told to pick a free port itself, and the JDBC clients (in the test JVM, in
 * an OSGi container, in launcher processes) need TCP. So it tries a random port below the kernel's
 * range for ephemeral ports (where a port-0 server or an outgoing connection never lands) and, when
 * another process holds that port, tries another: nothing picks a port and lets it go before use.
 */
public final class PostgresProcess implements AutoCloseable {

    /** The database role the tests connect as (trusted, no password). */
    public static final String USER = "licensebackup";
    static final String UNPRIVILEGED_USER = "nobody";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Below Linux's default ephemeral range (32768-60999), above the ports services are usually given. */
    private static final int LOWEST_PORT = 20000;
    private static final int HIGHEST_PORT = 32767;
    private static final int PORT_TRIES = 20;
    private static final String PORT_TAKEN = "Address already in use";

    private final Path binaries;
    private final Path folder;
    private final Optional<String> runAs;
    private final Thread stopAtExit;
    private volatile int port;

    private PostgresProcess(Path binaries, Path folder, Optional<String> runAs) {
        this.binaries = binaries;
        this.folder = folder;
        this.runAs = runAs;
        this.stopAtExit = new Thread(this::stopQuietly, "postgres-stop-at-exit");
    }

    /**
     * Starts a new cluster with fsync off: tests check what concurrent transactions do, not what
     * survives a power cut, and a busy machine's disk would slow them for nothing.
     *
     * @throws IllegalStateException on a platform with no PostgreSQL binaries in this build, in one line
     */
    public static PostgresProcess start() throws IOException, InterruptedException {
        return start(() -> ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT + 1));
    }

    /** Starts a cluster on the first port of {@code candidatePorts} that no other process holds. */
    static PostgresProcess start(IntSupplier candidatePorts) throws IOException, InterruptedException {
        Path binaries = PostgresBinaries.folder();
        Path folder = Files.createTempDirectory("licensebackup-postgres-");
        Optional<String> runAs = isRoot() ? Optional.of(UNPRIVILEGED_USER) : Optional.empty();
        PostgresProcess postgres = null;
        try {
            if (runAs.isPresent()) {
                giveTo(runAs.get(), folder);
                binaries = reachable(binaries, runAs.get(), folder);
            }
            postgres = new PostgresProcess(binaries, folder, runAs);
            Runtime.getRuntime().addShutdownHook(postgres.stopAtExit);
            postgres.init();
            postgres.startOnAFreePort(candidatePorts);
            return postgres;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (postgres != null) {
                postgres.close();
            } else {
                PostgresBinaries.deleteRecursively(folder);
            }
            throw e;
        }
    }

    /** The binaries where {@code user} can run them: the build's copy, or else a copy in the cluster's own folder. */
    private static Path reachable(Path binaries, String user, Path folder) throws IOException, InterruptedException {
        try {
            run(List.of(binaries.resolve("bin/postgres").toString(), "--version"), Optional.of(user), folder, Optional.empty());
            return binaries;
        } catch (IOException outOfReach) {
            System.err.println("PostgreSQL for the tests: the user " + user + " cannot run " + binaries.resolve("bin/postgres")
                    + " (a folder above it is closed to others), so this cluster unpacks a copy of its own");
            return PostgresBinaries.unpackInto(folder.resolve("binaries"));
        }
    }

    private void init() throws IOException, InterruptedException {
        // the C locale: the same sort order and messages on every machine, whatever its environment says
        run(List.of(binaries.resolve("bin/initdb").toString(), "-D", data().toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions"), runAs, folder, Optional.empty());
    }

    private void startOnAFreePort(IntSupplier candidatePorts) throws IOException, InterruptedException {
        Path log = folder.resolve("server.log");
        for (int tried = 1; ; tried++) {
            int candidate = candidatePorts.getAsInt();
            Files.deleteIfExists(log);
            try {
                run(List.of(binaries.resolve("bin/pg_ctl").toString(), "-D", data().toString(), "-l", log.toString(), "-w", "-t",
                        Long.toString(PATIENCE.toSeconds()), "-o", "-p " + candidate + " -k " + folder
                                + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                                + " -c max_connections=200", "start"), runAs, folder, Optional.of(log));
                port = candidate;
                return;
            } catch (IOException failed) {
                boolean portTaken = Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(PORT_TAKEN);
                if (!portTaken || tried == PORT_TRIES) {
                    throw failed;
                }
            }
        }
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The URL of database {@code postgres}, which every new cluster has. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Makes a new, empty database; its URL. */
    public String createDatabase(String name) throws SQLException {
        try (Connection connection = dataSource("postgres").getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    /** Unpooled connections to {@code database}, as the test's own client. */
    public PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(USER);
        return dataSource;
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the hook runs now
        }
    }

    private Path data() {
        return folder.resolve("data");
    }

    /** The process ID of the running server (the postmaster, whose children serve the connections), from its {@code postmaster.pid}. */
    public long serverPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
    }

    private synchronized void stopQuietly() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run(List.of(binaries.resolve("bin/pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w",
                        "-t", Long.toString(PATIENCE.toSeconds()), "stop"), runAs, folder, Optional.empty());
            }
            PostgresBinaries.deleteRecursively(folder);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("PostgreSQL in " + folder + " did not stop cleanly: " + e);
        }
    }

    /**
     * Runs {@code command} (as {@code runAs}, when given) and waits for it.
     *
     * @throws IOException when it fails, with its output and the server's log, if any
     */
    private static void run(List<String> command, Optional<String> runAs, Path folder, Optional<Path> serverLog)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        runAs.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        Path output = Files.createTempFile("licensebackup-postgres-command-", ".log");
        try {
            Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(PATIENCE.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not end within " + PATIENCE.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                String log = Files.readString(output, StandardCharsets.UTF_8);
                if (serverLog.isPresent() && Files.exists(serverLog.get())) {
                    log += "\n" + Files.readString(serverLog.get(), StandardCharsets.UTF_8);
                }
                throw new IOException(String.join(" ", full) + " failed with exit code " + process.exitValue() + ":\n" + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean isRoot() throws IOException {
        // the effective user of this process owns its /proc entry
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static void giveTo(String user, Path folder) throws IOException {
        try {
            Files.setOwner(folder, folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("PostgreSQL for the tests: this build runs as root and PostgreSQL refuses to, but the"
                    + " unprivileged user " + user + " to run it as is not on this machine");
        }
    }
}
