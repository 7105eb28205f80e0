package org.licensebackup.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one benchmark phase and what a reader needs to trust them: the median of each figure,
 * its spread (the slowest run against the quickest), the highest load seen around any run, and
 * whether that load exceeded the cores (a noisy phase: its figures say more about the neighbours).
 */
final class PhaseRuns {

    /** One run of a phase: the process watched, the licenses it handled, and figures of its own (say the server's CPU). */
    record Run(MeasuredProcess.Watched watched, double seconds, long licenses, Map<String, Object> extra) {

        /** The share of the process's wall time its JVM spent paused for garbage collection. */
        double gcPauseFraction() {
            return watched.heap().pauseSeconds() / watched.wallSeconds();
        }

        double maxLoad() {
            return Math.max(watched.loadBefore(), watched.loadAfter());
        }

        Map<String, Object> figures() {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("seconds", seconds);
            figures.put("licenses", licenses);
            figures.putAll(watched.figures());
            figures.put("gc_pause_fraction", gcPauseFraction());
            figures.putAll(extra);
            return figures;
        }
    }

    private final List<Run> runs = new ArrayList<>();

    void add(Run run) {
        runs.add(run);
    }

    Run first() {
        return runs.get(0);
    }

    double medianSeconds() {
        return median(Run::seconds);
    }

    double median(ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    double max(ToDoubleFunction<Run> figure) {
        return runs.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }

    /** (slowest - quickest) / median, of the operation's own seconds. */
    double spread() {
        double[] seconds = runs.stream().mapToDouble(Run::seconds).toArray();
        return (Arrays.stream(seconds).max().orElse(0) - Arrays.stream(seconds).min().orElse(0)) / medianSeconds();
    }

    /**
     * The phase's figures: medians of time and CPU, the worst run's heap and GC share (a limit holds
     * only if it holds in every run), the load, the noisy flag, and every run's own figures.
     */
    Map<String, Object> figures(int cores) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", medianSeconds());
        figures.put("runs", runs.size());
        figures.put("spread", spread());
        figures.put("licenses", first().licenses());
        figures.put("process_cpu_seconds", median(run -> run.watched().cpuSeconds()));
        figures.put("bundles_active_ms", (long) median(run -> run.watched().bundlesActiveMillis()));
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("peak_used_mib", (long) max(run -> run.watched().heap().peakUsedMiB()));
        heap.put("peak_live_mib", (long) max(run -> run.watched().heap().peakLiveMiB()));
        heap.put("max_mib", (long) max(run -> run.watched().heap().maxMiB()));
        heap.put("collections", (long) median(run -> run.watched().heap().collections()));
        figures.put("heap", heap);
        figures.put("gc_pause_fraction_max", max(Run::gcPauseFraction));
        double load = max(Run::maxLoad);
        figures.put("load_max", load);
        figures.put("noisy", load > cores);
        List<Object> each = new ArrayList<>();
        runs.forEach(run -> each.add(run.figures()));
        figures.put("each_run", indexed(each));
        return figures;
    }

    /** A list as a map by run number, which the report's JSON writer writes as an object. */
    private static Map<String, Object> indexed(List<Object> values) {
        Map<String, Object> byNumber = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            byNumber.put(Integer.toString(i + 1), values.get(i));
        }
        return byNumber;
    }
}
