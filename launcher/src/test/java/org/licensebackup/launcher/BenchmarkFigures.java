package org.licensebackup.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks read off a launcher's report. */
final class BenchmarkFigures {

    private static final Pattern TOOK = Pattern.compile("^(backed up|restored) ([0-9,]+) of ([0-9,]+) licenses in ([0-9.]+) (ms|s)");

    private BenchmarkFigures() {
    }

    /** The operation's own time, as its report printed it: without the JVM's start and the framework's. */
    static Duration took(LauncherProcess.Result result) throws IOException {
        for (String line : result.lines()) {
            Matcher matcher = TOOK.matcher(line);
            if (matcher.find()) {
                double value = Double.parseDouble(matcher.group(4));
                return Duration.ofNanos((long) (value * (matcher.group(5).equals("s") ? 1e9 : 1e6)));
            }
        }
        throw new IOException("no time in " + result.lines());
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
