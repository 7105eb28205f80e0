package org.licensebackup.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A license management server run by this launcher in a process of its own ({@code server}), as an
 * operator runs it: started, awaited until it listens, then stopped as Ctrl-C would, or killed.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration STOP_PATIENCE = Duration.ofSeconds(20);

    private final Process process;
    private final String url;
    private final String key;
    private final List<String> output;
    private final String operatorUrl;

    private ServerProcess(Process process, String url, String key, List<String> output, String operatorUrl) {
        this.process = process;
        this.url = url;
        this.key = key;
        this.output = output;
        this.operatorUrl = operatorUrl;
    }

    /**
     * Starts {@code java -jar launcher --home HOME server --port 0 --info FILE SERVER-OPTIONS} and waits
     * until it has written where it listens.
     *
     * @param echo where its output goes, each line behind {@code prefix}
     * @throws IOException when it ends or is not listening within {@code patience}
     */
    static ServerProcess start(LauncherProcess launcher, Path home, List<String> serverOptions, PrintStream echo,
            String prefix, Duration patience) throws IOException {
        Path info = home.resolve("server.properties");
        Files.deleteIfExists(info);
        List<String> args = new ArrayList<>(List.of("--home", home.toString(), Role.SERVER_COMMAND, "--port", "0",
                "--info", info.toString()));
        args.addAll(serverOptions);
        Process process = launcher.start(args);
        List<String> lines = new ArrayList<>();
        Thread output = new Thread(() -> LauncherProcess.copyLines(process, echo, prefix, lines), "server-output");
        output.setDaemon(true);
        output.start();
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (!Files.exists(info)) {
                if (!process.isAlive()) {
                    throw new IOException("the license server ended with exit code " + process.exitValue()
                            + " before it listened");
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("the license server was not listening within " + patience.toSeconds() + " s");
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the license server started", e);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            properties.load(in);
        }
        return new ServerProcess(process, properties.getProperty("url"), properties.getProperty("key"), lines,
                properties.getProperty("operator.url"));
    }

    /** What it has printed so far, line by line. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    String url() {
        return url;
    }

    /** Where its health, metrics and support console answer (the operator's listener); null when it runs none. */
    String operatorUrl() {
        return operatorUrl;
    }

    /** The server's signing key, base64, for devices to pin. */
    String key() {
        return key;
    }

    /** The launcher options that point a host at this server. */
    List<String> hostOptions() {
        return List.of("--lms", url, "--lms-key", key);
    }

    /** Kills the process at once, as a crash or {@code kill -9} would: nothing of it runs on. */
    void kill() throws InterruptedException {
        // the server's own JVM first (see ServerHeap), then the launcher that started it
        for (ProcessHandle server : process.descendants().toList()) {
            server.destroyForcibly();
            server.onExit().join();
        }
        process.destroyForcibly().waitFor();
    }

    /** The process of the JVM that runs the server: a child of the launcher's (see ServerHeap), or the launcher's own. */
    ProcessHandle serverJvm() {
        return process.descendants().filter(child -> child.info().command().map(command -> command.endsWith("java")).orElse(false))
                .findFirst().orElse(process.toHandle());
    }

    /** Stops it as Ctrl-C would (a forced kill if it does not end in time). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
