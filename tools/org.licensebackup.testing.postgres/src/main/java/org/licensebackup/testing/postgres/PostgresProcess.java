package org.licensebackup.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests, started from the machine's own binaries (Debian's
 * {@code postgresql} package: {@code initdb} and {@code pg_ctl}) in a fresh cluster of its own, in a
 * temporary folder, on a free port, bounded in time, and stopped at {@link #close()} or when the JVM
 * exits. PostgreSQL refuses to run as root: as root, it runs as the unprivileged user
 * {@code postgres} (made by that package), or {@code nobody}.
 */
public final class PostgresProcess implements AutoCloseable {

    /** Where the binaries are when they are not on the PATH: the environment variable's folder first. */
    public static final String BINARIES_VARIABLE = "LICENSEBACKUP_PG_BIN";
    public static final String USER = "licensebackup";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Path binaries;
    private final Path folder;
    private final Optional<String> runAs;
    private final int port;
    private final Thread stopAtExit;

    private PostgresProcess(Path binaries, Path folder, Optional<String> runAs, int port) {
        this.binaries = binaries;
        this.folder = folder;
        this.runAs = runAs;
        this.port = port;
        this.stopAtExit = new Thread(this::stopQuietly, "postgres-stop-at-exit");
    }

    /** The folder of {@code initdb} and {@code pg_ctl}, if this machine has PostgreSQL. */
    public static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv(BINARIES_VARIABLE)).map(Path::of).ifPresent(candidates::add);
        // Debian puts them here, per major version: the newest first
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.map(version -> version.resolve("bin")).sorted(Comparator.reverseOrder()).forEach(candidates::add);
        } catch (IOException none) {
            // no Debian PostgreSQL
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry));
            }
        }
        return candidates.stream().filter(folder -> Files.isExecutable(folder.resolve("initdb")) && Files.isExecutable(folder.resolve("pg_ctl")))
                .findFirst();
    }

    /**
     * Starts a new cluster with fsync off: tests check what concurrent transactions do, not what
     * survives a power cut, and a busy machine's disk would slow them for nothing.
     *
     * @throws IllegalStateException when this machine has no PostgreSQL binaries: the README names the package
     */
    public static PostgresProcess start() throws IOException, InterruptedException {
        Path binaries = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: install Debian's"
                + " postgresql package (apt-get install postgresql), or set " + BINARIES_VARIABLE + " to the folder of initdb and pg_ctl"));
        Path folder = Files.createTempDirectory("licensebackup-postgres-");
        Optional<String> runAs = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
        if (runAs.isPresent()) {
            run(List.of("chown", runAs.get(), folder.toString()), Optional.empty(), folder);
        }
        PostgresProcess postgres = new PostgresProcess(binaries, folder, runAs, freePort());
        Runtime.getRuntime().addShutdownHook(postgres.stopAtExit);
        try {
            postgres.initAndStart();
        } catch (IOException | RuntimeException | InterruptedException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    private void initAndStart() throws IOException, InterruptedException {
        Path data = folder.resolve("data");
        run(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync", "--no-instructions"), runAs, folder);
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("server.log").toString(),
                "-w", "-t", Long.toString(PATIENCE.toSeconds()), "-o",
                "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off -c max_connections=200",
                "start"), runAs, folder);
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

    private synchronized void stopQuietly() {
        try {
            if (Files.exists(folder.resolve("data").resolve("postmaster.pid"))) {
                run(List.of(binaries.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "immediate", "-w",
                        "-t", Long.toString(PATIENCE.toSeconds()), "stop"), runAs, folder);
            }
            deleteRecursively(folder);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("PostgreSQL in " + folder + " did not stop cleanly: " + e);
        }
    }

    private static void run(List<String> command, Optional<String> runAs, Path folder) throws IOException, InterruptedException {
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
                Path serverLog = folder.resolve("server.log");
                if (Files.exists(serverLog)) {
                    log += "\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
                }
                throw new IOException(String.join(" ", full) + " failed with exit code " + process.exitValue() + ":\n" + log);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String unprivilegedUser() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", "postgres").redirectErrorStream(true).start();
        return id.waitFor() == 0 ? "postgres" : "nobody";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
