package org.licensebackup.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the benchmarks run the launcher and what they read off its reports. */
final class BenchmarkFigures {

    /** The time at the end of the first line of an issue's, a backup's, a restore's or a verify's report. */
    private static final Pattern TOOK = Pattern.compile(
            "^(?:backed up|restored|issued|the backup is sound).*? in ([0-9.]+) (ms|s)\\b");

    /** Long enough for a million licenses on a busy machine. */
    static final Duration PATIENCE = Duration.ofHours(1);

    private BenchmarkFigures() {
    }

    /** The operation's own time, as its report printed it: without the JVM's start and the framework's. */
    static Duration took(LauncherProcess.Result result) throws IOException {
        for (String line : result.lines()) {
            Matcher matcher = TOOK.matcher(line);
            if (matcher.find()) {
                double value = Double.parseDouble(matcher.group(1));
                return Duration.ofNanos((long) (value * (matcher.group(2).equals("s") ? 1e9 : 1e6)));
            }
        }
        throw new IOException("no time in " + result.lines());
    }

    /**
     * Runs {@code command} in {@code home} to its end, its lines copied to {@code out}.
     *
     * @throws IOException when it fails: a benchmark of a failed operation measures nothing
     */
    static LauncherProcess.Result succeed(LauncherProcess launcher, Path home, List<String> options, List<String> command,
            PrintStream out) throws IOException {
        LauncherProcess.Result result = launcher.runIn(home, options, command, out, PATIENCE);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + result.exitCode());
        }
        return result;
    }

    /** A home of the same device as {@code filled} (its key and record) whose embedded store is empty. */
    static Path sameDeviceEmptyStore(Path filled, Path home) throws IOException {
        return ProcessTestSupport.copyDevice(filled, home);
    }

    /**
     * A benchmark's command line: {@code [COUNT [FOLDER [JAR [...]]]]}, the count with or without
     * {@code ,} or {@code _} between its digits.
     */
    record Arguments(int licenses, Path folder, Path jar, Path java) {

        static Arguments parse(String[] args, String defaultFolder) {
            return new Arguments(args.length > 0 ? Integer.parseInt(args[0].replace(",", "").replace("_", "")) : 10_000,
                    Path.of(args.length > 1 ? args[1] : defaultFolder).toAbsolutePath(),
                    Path.of(args.length > 2 ? args[2] : "target/license-backup.jar").toAbsolutePath(),
                    Path.of(System.getProperty("java.home"), "bin", "java"));
        }
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
