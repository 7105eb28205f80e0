package org.licensebackup.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This launcher run again in a process of its own, as a user runs it in a terminal: the demo's server
 * and homes are such processes, and so are the tests of what crosses machines.
 *
 * @param java the {@code java} executable
 * @param launcherJar the launcher jar, with its {@code bundles/} folder beside it
 * @param jvmOptions what goes between {@code java} and {@code -jar}
 */
record LauncherProcess(Path java, Path launcherJar, List<String> jvmOptions) {

    /**
     * For a host's commands, which run briefly: the quick compiler starts them sooner (measured
     * 0.6-0.8 s against 1.0-1.4 s). Not for long work: its code runs crypto several times slower.
     */
    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

    /** The line a backup's report starts with, the number of licenses backed up first. */
    static final Pattern BACKED_UP = Pattern.compile("^backed up ([0-9,]+) of ");
    /** The line a restore's report starts with, the number of licenses restored first. */
    static final Pattern RESTORED = Pattern.compile("^restored ([0-9,]+) of ");

    LauncherProcess {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(launcherJar, "launcherJar");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The launcher this JVM runs, with this JVM's {@code java}. */
    static LauncherProcess thisLauncher() throws LaunchException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new LauncherProcess(java, Main.bundleDirectory().getParent().resolve("license-backup.jar"), QUICK_START);
    }

    /** Starts {@code java -jar launcher ARGS}, its output and errors merged, to be read. */
    Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(launcherJar.toString());
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Runs {@code java -jar launcher ARGS} to its end, copying each line it prints to {@code echo}
     * with {@code prefix} in front.
     *
     * @throws IOException when it cannot start, or does not end within {@code patience} (it is then killed)
     */
    Result run(List<String> args, PrintStream echo, String prefix, Duration patience) throws IOException {
        Process process = start(args);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> copyLines(process, echo, prefix, lines), "launcher-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("java -jar " + launcherJar.getFileName() + " " + String.join(" ", args)
                        + " did not end within " + patience.toSeconds() + " s");
            }
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        synchronized (lines) {
            return new Result(process.exitValue(), List.copyOf(lines));
        }
    }

    /**
     * Runs {@code java -jar launcher --home HOME OPTIONS COMMAND} to its end, as {@link #run} does,
     * each line it prints echoed behind the home's name.
     */
    Result runIn(Path home, List<String> options, List<String> command, PrintStream echo, Duration patience)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--home", home.toString()));
        args.addAll(options);
        args.addAll(command);
        return run(args, echo, "  [" + home.getFileName() + "] ", patience);
    }

    /** Copies the process's lines as they come; ends when the process closes its output. */
    static void copyLines(Process process, PrintStream echo, String prefix, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
                echo.println(prefix + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a run ended: its exit code and every line it printed. */
    record Result(int exitCode, List<String> lines) {

        /** The number (digits and commas) that {@code pattern}'s first group finds in the first line it matches. */
        OptionalLong count(Pattern pattern) {
            for (String line : lines) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return OptionalLong.of(Long.parseLong(matcher.group(1).replace(",", "")));
                }
            }
            return OptionalLong.empty();
        }
    }
}
