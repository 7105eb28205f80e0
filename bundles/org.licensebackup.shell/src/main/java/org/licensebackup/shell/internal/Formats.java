package org.licensebackup.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;
import org.licensebackup.api.Reason;

/** How numbers, times, sizes and rights read in the shell and on the command line. */
final class Formats {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 10000 as "10,000". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 1 as "1 license", 10000 as "10,000 licenses". */
    static String licenses(long n) {
        return plural(n, "license", "licenses");
    }

    /** Milliseconds below a second, seconds with two decimals above. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%s bytes)", value, units[unit], count(bytes));
    }

    /** "BACKUP_NOT_ALLOWED 1,000, EXPIRED 500", in the order of {@link Reason}; "none" when empty. */
    static String reasons(Map<Reason, Long> byReason) {
        String listed = byReason.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " " + count(entry.getValue()))
                .collect(Collectors.joining(", "));
        return listed.isEmpty() ? "none" : listed;
    }

    /**
     * What a license's rights and binding say, in short: "backup, from 2024-01-01, until 2030-01-01,
     * 10 plays left, bound to another device".
     */
    static String rights(LicenseSummary license) {
        List<String> parts = new ArrayList<>();
        parts.add(license.has(LicenseTrait.BACKUP_ALLOWED) ? "backup" : "no backup");
        license.notBefore().ifPresent(from -> parts.add("from " + date(from)));
        license.expiry().ifPresent(until -> parts.add((license.has(LicenseTrait.EXPIRED) ? "expired " : "until ")
                + date(until)));
        if (license.expiry().isEmpty() && license.has(LicenseTrait.EXPIRES)) {
            parts.add("expires after first use");
        }
        license.playsLeft().ifPresent(n -> parts.add(plural(n, "play", "plays") + " left"));
        license.copiesLeft().ifPresent(n -> parts.add(plural(n, "copy", "copies") + " left"));
        if (license.has(LicenseTrait.BOUND_ELSEWHERE)) {
            parts.add("bound to another device");
        }
        return String.join(", ", parts);
    }

    /** A time to the second, in UTC: "2026-11-30 01:02:03Z". */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    private static String date(Instant instant) {
        return DATE.format(instant);
    }
}
