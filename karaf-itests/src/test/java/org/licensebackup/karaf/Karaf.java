package org.licensebackup.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Karaf distribution, copied from the unpacked one into a folder of its own, started as an
 * operator starts it ({@code bin/karaf daemon}) and driven as an operator drives it: console
 * commands through {@code bin/client}. Only what an operator sets is changed: the {@code karaf}
 * user enabled in {@code etc/users.properties}, the ports (so that tests and other Karafs on the
 * machine do not collide), and the Maven local repository that this build uses.
 *
 * <p>Ports: none is picked beforehand. SSH listens on port 0 and its server (Apache MINA SSHD) logs
 * the port it got, which {@code bin/client} is then pointed at. JMX keeps its RMI connector, exported
 * on port 0, but without an RMI registry, the one port that clients must know in advance: its service
 * URL carries no JNDI name, and Karaf neither makes a registry nor joins one another process runs.
 */
final class Karaf implements AutoCloseable {

    static final Duration BOOT_PATIENCE = Duration.ofMinutes(3);
    static final Duration COMMAND_PATIENCE = Duration.ofMinutes(3);
    private static final Duration STOP_PATIENCE = Duration.ofMinutes(1);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");
    /** What Karaf's console prints when a command fails, whatever bin/client's exit code. */
    private static final List<String> FAILURES = List.of("Error executing command", "Command not found");
    /** What MINA SSHD logs (at INFO, which Karaf's log keeps for it) when it listens on port 0. */
    private static final Pattern SSH_PORT = Pattern.compile("listen on auto-allocated port=(\\d+)");

    private final Path base;
    private Process process;
    /** The port SSH got at this start; 0 until its log says. */
    private int sshPort;

    private Karaf(Path base) {
        this.base = base;
    }

    /** Copies the distribution to {@code base} (emptied first) and sets it up as the class says. */
    static Karaf copy(Path distribution, Path base, Path mavenLocalRepository) throws IOException {
        deleteRecursively(base);
        copyTree(distribution, base);
        try (Stream<Path> scripts = Files.list(base.resolve("bin"))) {
            scripts.filter(Files::isRegularFile).forEach(script -> script.toFile().setExecutable(true));
        }
        replace(base.resolve("etc/users.properties"), "#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup");
        replace(base.resolve("etc/users.properties"), "#_g_\\:admingroup", "_g_\\:admingroup");
        replace(base.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = 0");
        Path management = base.resolve("etc/org.apache.karaf.management.cfg");
        replace(management, "rmiServerPort = 44444", "rmiServerPort = 0");
        replace(management, "#createRmiRegistry = true", "createRmiRegistry = false");
        replace(management, "#locateRmiRegistry = true", "locateRmiRegistry = false");
        replace(management, "serviceUrl = service:jmx:rmi://${rmiServerHost}:${rmiServerPort}/jndi/rmi://${rmiRegistryHost}:${rmiRegistryPort}/karaf-${karaf.name}",
                "serviceUrl = service:jmx:rmi://${rmiServerHost}:${rmiServerPort}");
        Files.writeString(base.resolve("etc/org.ops4j.pax.url.mvn.cfg"),
                "\norg.ops4j.pax.url.mvn.localRepository=" + mavenLocalRepository.toUri() + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        return new Karaf(base);
    }

    Path base() {
        return base;
    }

    /** Where Karaf keeps what {@code clean} deletes. */
    Path data() {
        return base.resolve("data");
    }

    /**
     * Starts Karaf ({@code bin/karaf daemon}, with {@code clean} if asked) and waits until its
     * console answers on the SSH port its log names.
     *
     * @return how long it took
     */
    Duration start(boolean clean) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/karaf").toString(), "daemon"));
        if (clean) {
            command.add("clean");
        }
        // this start's lines of the log: a plain start adds to it; a clean one starts it anew, and an
        // old log must not name an old port while Karaf has yet to empty its data folder
        if (clean) {
            Files.deleteIfExists(log());
        }
        long logFrom = Files.exists(log()) ? Files.size(log()) : 0;
        sshPort = 0;
        long since = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("karaf.out").toFile()));
        environment(builder.environment());
        process = builder.start();
        Process started = process;
        // a test JVM that is ended (a build's timeout, Ctrl-C) takes its Karaf with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }));
        long deadline = since + BOOT_PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited with " + process.exitValue() + "; see " + base.resolve("karaf.out"));
            }
            // the last port SSH logged: the SSH bundle may restart as its configuration arrives
            for (Matcher ssh = SSH_PORT.matcher(logSince(logFrom)); ssh.find(); ) {
                sshPort = Integer.parseInt(ssh.group(1));
            }
            if (sshPort != 0) {
                last = client("bundle:list", Duration.ofSeconds(30)).output();
                if (last.contains("Active")) {
                    return Duration.ofNanos(System.nanoTime() - since);
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("Karaf's console did not answer within " + BOOT_PATIENCE + " (SSH port " + sshPort
                + "); last answer: " + last + "; see " + log());
    }

    private Path log() {
        return data().resolve("log/karaf.log");
    }

    private String logSince(long offset) throws IOException {
        if (!Files.exists(log())) {
            return "";
        }
        byte[] all = Files.readAllBytes(log());
        int from = offset <= all.length ? (int) offset : 0;
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /**
     * Runs console commands as an operator types them, one a line, and answers what they printed
     * (colours removed).
     *
     * @throws AssertionError when a command failed
     */
    String console(String... commands) throws IOException, InterruptedException {
        Processes.Result result = client(String.join("\n", commands), COMMAND_PATIENCE);
        String output = result.output();
        if (result.exitCode() != 0 || FAILURES.stream().anyMatch(output::contains)) {
            throw new AssertionError(String.join("; ", commands) + " failed (bin/client exit code " + result.exitCode() + "):\n" + output);
        }
        return output;
    }

    /** What {@code bin/client} printed for the commands (colours removed), with its exit code. */
    private Processes.Result client(String commands, Duration patience) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(base.resolve("bin/client").toString(), "-a", Integer.toString(sshPort),
                "-u", "karaf", "-p", "karaf", "-b").directory(base.toFile());
        environment(builder.environment());
        Processes.Result result = Processes.run(builder, commands + "\n", base, patience);
        return new Processes.Result(result.exitCode(), ANSI.matcher(result.output()).replaceAll(""));
    }

    /**
     * Stops Karaf as an operator does ({@code bin/stop}); if it is still running after a minute,
     * ends its process.
     *
     * @return how long it took
     */
    Duration stop() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return Duration.ZERO;
        }
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(base.resolve("bin/stop").toString()).directory(base.toFile());
        environment(builder.environment());
        try {
            Processes.run(builder, "", base, STOP_PATIENCE);
        } catch (IllegalStateException stopHung) {
            kill();
        }
        if (!process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Stops Karaf whatever happened before: the test's last word, also after a failure. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            kill();
        }
    }

    private void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void environment(Map<String, String> environment) {
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // a shared build machine: Karaf's default maximum heap is more than it needs here
        environment.put("JAVA_MAX_MEM", "512M");
        environment.remove("KARAF_DEBUG");
    }

    private static void replace(Path file, String line, String replacement) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(line)) {
            throw new IllegalStateException(file + " no longer has the line " + line + ": another Karaf version?");
        }
        Files.writeString(file, text.replace(line, replacement));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                Path target = to.resolve(from.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
