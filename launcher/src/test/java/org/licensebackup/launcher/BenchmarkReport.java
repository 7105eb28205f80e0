package org.licensebackup.launcher;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * The product benchmark's output: its figures as JSON, a table on the console, and a plot of the
 * seconds per 1,000 licenses against N, drawn with the JDK's own java.awt (headless) so that the
 * benchmark needs no plotting library.
 */
final class BenchmarkReport {

    /** The JSON key of the seconds per 1,000 licenses of each phase: one line, read back for the plot. */
    static final String PER_1000 = "seconds_per_1000_licenses";
    private static final Pattern PER_1000_LINE = Pattern.compile("\"" + PER_1000 + "\": \\{([^}]*)}");
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\": ([0-9.eE+-]+|NaN)");
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private BenchmarkReport() {
    }

    /** {@code figures} as JSON, nested maps as objects; the seconds per 1,000 licenses on one line. */
    static String json(Map<String, Object> figures) {
        StringBuilder json = new StringBuilder();
        write(json, figures, "", false);
        return json.append('\n').toString();
    }

    private static void write(StringBuilder json, Object value, String indent, boolean oneLine) {
        if (value instanceof Map<?, ?> map) {
            json.append('{');
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(first ? "" : ",").append(oneLine ? " " : "\n" + inner);
                first = false;
                json.append('"').append(entry.getKey()).append("\": ");
                write(json, entry.getValue(), inner, oneLine || PER_1000.equals(entry.getKey()));
            }
            json.append(oneLine ? " " : "\n" + indent).append('}');
        } else if (value instanceof Number number) {
            double asDouble = number.doubleValue();
            if (number instanceof Double || number instanceof Float) {
                json.append(Double.isFinite(asDouble) ? String.format(Locale.ROOT, "%.6g", asDouble) : "null");
            } else {
                json.append(number);
            }
        } else {
            json.append('"').append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    /** Prints the run's figures as a table. */
    @SuppressWarnings("unchecked")
    static void table(Map<String, Object> figures, PrintStream out) {
        long count = ((Number) figures.get("licenses")).longValue();
        out.printf(Locale.ROOT, "%,d licenses, %s cores, load %.2f at the start and %.2f at the end; hosts with %s%n", count,
                figures.get("cores"), figures.get("load_at_start"), figures.get("load_at_end"), figures.get("host_jvm_options"));
        out.printf(Locale.ROOT, "%-28s %9s %7s %12s %9s %8s %8s %8s %6s %6s %6s %9s%n", "phase (median of runs)", "seconds", "spread",
                "licenses", "s/1000", "cpu s", "heap MiB", "live MiB", "GCs", "GC %", "load", "active ms");
        Map<String, Object> phases = (Map<String, Object>) figures.get("phases");
        phases.forEach((name, value) -> {
            Map<String, Object> phase = (Map<String, Object>) value;
            Map<String, Object> heap = (Map<String, Object>) phase.get("heap");
            double seconds = (Double) phase.get("seconds");
            out.printf(Locale.ROOT, "%-28s %9.2f %6.0f%% %,12d %9.4f %8.2f %8d %8d %6d %5.1f%% %6.2f %9d%s%n",
                    name + " x" + phase.get("runs"), seconds, (Double) phase.get("spread") * 100, phase.get("licenses"),
                    seconds * 1000 / count, phase.get("process_cpu_seconds"), heap.get("peak_used_mib"), heap.get("peak_live_mib"),
                    heap.get("collections"), (Double) phase.get("gc_pause_fraction_max") * 100, phase.get("load_max"),
                    phase.get("bundles_active_ms"), (Boolean) phase.get("noisy") ? "  NOISY (load > cores)" : "");
        });
        out.println("(heap, live and GC %: the worst run; spread: (slowest - quickest) / median; load: the highest around any run)");
        out.println("the license server's cost per re-bound license (its JVM's CPU from /proc, median of the runs):");
        ((Map<String, Object>) figures.get("server")).forEach((name, value) -> {
            out.printf(Locale.ROOT, "  %s:", name);
            ((Map<String, Object>) value).forEach((figure, number) -> out.printf(Locale.ROOT, " %s %s", figure,
                    number instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : number));
            out.println();
        });
        Map<String, Object> tar = (Map<String, Object>) figures.get("tar_zstd_age");
        out.printf(Locale.ROOT, "%-22s %10.2f %,12d%n", "tar|zstd|age backup", tar.get("backup_seconds"), tar.get("licenses"));
        out.printf(Locale.ROOT, "%-22s %10.2f %,12d%n", "age|zstd|tar restore", tar.get("restore_seconds"), tar.get("licenses"));
        out.println("limits, in the same run:");
        ((Map<String, Object>) figures.get("limits")).forEach((name, value) -> out.printf(Locale.ROOT, "  %-40s %s%n", name,
                value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : value));
        out.println("ratios (targets: restore new device at most 1.5, backup at most 1.0x restic and 2x the encrypted copy):");
        ((Map<String, Object>) figures.get("ratios")).forEach((name, value) -> out.printf(Locale.ROOT, "  %-48s %.2f%n", name, value));
        out.println("the same ratios in CPU seconds (the host's process against this JVM's threads):");
        ((Map<String, Object>) figures.get("cpu_ratios")).forEach((name, value) -> out.printf(Locale.ROOT, "  %-48s %.2f%n", name, value));
        out.println("latency and start (medians over the probes' JVMs; first call and median of 100; targets: under 1 ms, ACTIVE under 1 s):");
        ((Map<String, Object>) figures.get("latency")).forEach((name, value) -> {
            if (value instanceof Double) {
                out.printf(Locale.ROOT, "  %-40s %.3f%n", name, value);
            }
        });
        out.println("noisy phases (load above the cores): " + figures.get("noisy_phases"));
    }

    /**
     * Draws {@code plot.png} in {@code folder} from every {@code N.json} there: the seconds per 1,000
     * licenses of each phase against N (logarithmic), so that linear cost reads as a flat line.
     */
    static Path plot(Path folder) throws IOException {
        TreeMap<Long, Map<String, Double>> runs = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9]+\\.json")).toList()) {
                Matcher line = PER_1000_LINE.matcher(Files.readString(file));
                if (line.find()) {
                    Map<String, Double> per1000 = new java.util.LinkedHashMap<>();
                    Matcher entry = ENTRY.matcher(line.group(1));
                    while (entry.find()) {
                        per1000.put(entry.group(1), Double.parseDouble(entry.group(2)));
                    }
                    runs.put(Long.parseLong(file.getFileName().toString().replace(".json", "")), per1000);
                }
            }
        }
        List<String> series = runs.values().stream().map(Map::keySet).flatMap(Collection::stream).distinct().toList();
        double top = runs.values().stream().map(Map::values).flatMap(Collection::stream).filter(Double::isFinite)
                .mapToDouble(Double::doubleValue).max().orElse(1) * 1.1;
        double left = Math.log10(Math.min(10_000, runs.isEmpty() ? 10_000 : runs.firstKey()));
        double right = Math.log10(Math.max(1_000_000, runs.isEmpty() ? 1_000_000 : runs.lastKey()));
        int width = 900;
        int height = 560;
        int x0 = 80;
        int y0 = 480;
        int plotWidth = 560;
        int plotHeight = 420;
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("seconds per 1,000 licenses against N (licenses issued), hosts with -Xmx64m", x0, 30);
        g.drawLine(x0, y0, x0 + plotWidth, y0);
        g.drawLine(x0, y0, x0, y0 - plotHeight);
        for (long n = 10_000; n <= Math.pow(10, right); n *= 10) {
            int x = x0 + (int) ((Math.log10(n) - left) / Math.max(1e-9, right - left) * plotWidth);
            g.drawLine(x, y0, x, y0 + 5);
            g.drawString(String.format(Locale.ROOT, "%,d", n), x - 20, y0 + 20);
        }
        for (int tick = 0; tick <= 5; tick++) {
            double value = top * tick / 5;
            int y = y0 - (int) (plotHeight * tick / 5.0);
            g.drawLine(x0 - 5, y, x0, y);
            g.drawString(String.format(Locale.ROOT, "%.3f", value), x0 - 55, y + 4);
        }
        g.setStroke(new BasicStroke(2));
        for (int s = 0; s < series.size(); s++) {
            String name = series.get(s);
            g.setColor(COLOURS[s % COLOURS.length]);
            List<int[]> points = new ArrayList<>();
            runs.forEach((n, values) -> {
                Double value = values.get(name);
                if (value != null && Double.isFinite(value)) {
                    points.add(new int[] {x0 + (int) ((Math.log10(n) - left) / Math.max(1e-9, right - left) * plotWidth),
                        y0 - (int) (value / top * plotHeight)});
                }
            });
            for (int i = 0; i < points.size(); i++) {
                g.fillOval(points.get(i)[0] - 3, points.get(i)[1] - 3, 7, 7);
                if (i > 0) {
                    g.drawLine(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]);
                }
            }
            g.drawString(name, x0 + plotWidth + 20, 70 + 20 * s);
        }
        g.dispose();
        Path png = folder.resolve("plot.png");
        ImageIO.write(image, "png", png.toFile());
        return png;
    }
}
