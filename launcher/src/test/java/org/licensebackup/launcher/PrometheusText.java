package org.licensebackup.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as Prometheus's own
 * scraper reads it: {@code # HELP} and {@code # TYPE} lines, then samples
 * {@code name{label="value",...} value}, label values with the escapes {@code \\}, {@code \"} and
 * {@code \n}. Anything else is an error, so a test that reads the server's metrics with it also
 * checks the format. (No Java parser of the format is published on Maven Central: the Prometheus
 * Java client only writes it.)
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.read(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + " is not Prometheus text format: " + line + " (" + e.getMessage() + ")", e);
            }
        }
        return parsed;
    }

    private void read(String line) {
        if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).split(" ");
            if (parts.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1])) {
                throw new IllegalArgumentException("a TYPE line names a metric and one of its types");
            }
            requireName(parts[0]);
            if (types.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException("a second TYPE for " + parts[0]);
            }
            return;
        }
        if (line.startsWith("#")) {
            return; // HELP and comments
        }
        int at = 0;
        while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
            at++;
        }
        String name = line.substring(0, at);
        requireName(name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf('=', at);
                String label = line.substring(at, equals);
                requireName(label);
                if (line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("a label value is quoted");
                }
                StringBuilder value = new StringBuilder();
                int i = equals + 2;
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char escaped = line.charAt(++i);
                        value.append(switch (escaped) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("no escape \\" + escaped);
                        });
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        if (line.charAt(at) != ' ') {
            throw new IllegalArgumentException("a space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("a value and at most a timestamp");
        }
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        samples.add(new Sample(name, labels, value));
    }

    private static void requireName(String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a metric or label name: " + name);
        }
    }

    String type(String metric) {
        return types.get(metric);
    }

    /** The value of the sample {@code name} whose labels include {@code labels}, summed if several match; 0 if none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }
}
