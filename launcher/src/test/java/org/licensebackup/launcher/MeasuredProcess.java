package org.licensebackup.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A launcher process run to its end while the benchmark watches it from outside: its wall time, the
 * CPU it used (from {@code /proc/PID/stat}, sampled every 50 ms: JFR under-samples threads on this
 * kind of machine), its heap (from the JVM's own GC log) and the machine's load around it.
 */
final class MeasuredProcess {

    /** Linux's USER_HZ: the unit of utime and stime in {@code /proc/PID/stat}. */
    private static final double CLOCK_TICKS = 100.0;
    private static final Pattern FRAMEWORK_STARTED = Pattern.compile("framework started with \\d+ bundles .*? in (\\d+) ms");
    private static final Pattern GC_PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

    private MeasuredProcess() {
    }

    /** What the benchmark saw of one process. */
    record Watched(LauncherProcess.Result result, double wallSeconds, double cpuSeconds, Heap heap, double loadBefore,
            double loadAfter, long bundlesActiveMillis) {

        Map<String, Object> figures() {
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
            figures.put("process_wall_seconds", wallSeconds);
            figures.put("process_cpu_seconds", cpuSeconds);
            figures.put("bundles_active_ms", bundlesActiveMillis);
            figures.put("heap", heap.figures());
            figures.put("load_before", loadBefore);
            figures.put("load_after", loadAfter);
            return figures;
        }
    }

    /**
     * The heap as the GC log tells it: the most used before a collection (the peak), the most still
     * live after one, the ceiling, and how many collections paused the process for how long.
     */
    record Heap(long peakUsedMiB, long peakLiveMiB, long maxMiB, int collections, double pauseSeconds) {

        Map<String, Object> figures() {
            return Map.of("peak_used_mib", peakUsedMiB, "peak_live_mib", peakLiveMiB, "max_mib", maxMiB,
                    "collections", collections, "pause_seconds", pauseSeconds);
        }

        static Heap fromGcLog(Path log) throws IOException {
            long peakUsed = 0;
            long peakLive = 0;
            long max = 0;
            int collections = 0;
            double pauses = 0;
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    Matcher matcher = GC_PAUSE.matcher(line);
                    if (matcher.find()) {
                        peakUsed = Math.max(peakUsed, Long.parseLong(matcher.group(1)));
                        peakLive = Math.max(peakLive, Long.parseLong(matcher.group(2)));
                        max = Math.max(max, Long.parseLong(matcher.group(3)));
                        collections++;
                        pauses += Double.parseDouble(matcher.group(4)) / 1000;
                    }
                }
            }
            return new Heap(peakUsed, peakLive, max, collections, pauses);
        }
    }

    /**
     * Runs {@code java [jvmOptions] -Xlog:gc:file=GCLOG -jar launcher --home HOME --verbose OPTIONS COMMAND}
     * to its end, its lines copied to {@code echo}.
     *
     * @throws IOException when it fails or does not end within the benchmarks' patience
     */
    static Watched run(LauncherProcess launcher, Path home, Path gcLog, List<String> options, List<String> command,
            PrintStream echo) throws IOException {
        Files.createDirectories(gcLog.getParent());
        Files.deleteIfExists(gcLog);
        List<String> jvm = new ArrayList<>(launcher.jvmOptions());
        jvm.add("-Xlog:gc:file=" + gcLog);
        LauncherProcess logged = new LauncherProcess(launcher.java(), launcher.launcherJar(), jvm);
        List<String> args = new ArrayList<>(List.of("--home", home.toString(), "--verbose"));
        args.addAll(options);
        args.addAll(command);
        double loadBefore = load();
        long started = System.nanoTime();
        Process process = logged.start(args);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> LauncherProcess.copyLines(process, echo, "  [" + home.getFileName() + "] ", lines),
                "launcher-output");
        reader.setDaemon(true);
        reader.start();
        double cpu = 0;
        try {
            long deadline = started + BenchmarkFigures.PATIENCE.toNanos();
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                cpu = Math.max(cpu, cpuSeconds(process.pid()));
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not end within the benchmark's patience");
                }
            }
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        LauncherProcess.Result result;
        synchronized (lines) {
            result = new LauncherProcess.Result(process.exitValue(), List.copyOf(lines));
        }
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + result.exitCode());
        }
        long active = -1;
        for (String line : result.lines()) {
            Matcher matcher = FRAMEWORK_STARTED.matcher(line);
            if (matcher.find()) {
                active = Long.parseLong(matcher.group(1));
                break;
            }
        }
        return new Watched(result, wall, cpu, Heap.fromGcLog(gcLog), loadBefore, load(), active);
    }

    /** utime + stime of a running process; 0 once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name, in parentheses, may hold spaces: the fields count from after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * utime + stime of a process and of all its children, those running (from their own stat) and
     * those ended and waited for (cutime + cstime of the parent): a database server that serves
     * each connection from a process of its own.
     */
    static double cpuSecondsWithChildren(long pid) {
        double children = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .mapToDouble(child -> cpuSeconds(child.pid())).sum();
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return children + (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return children;
        }
    }

    /** The one-minute load average, or -1 where there is no {@code /proc/loadavg}. */
    static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
