package org.licensebackup.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.licensebackup.api.Reason;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/** How numbers, times, sizes, rights and use read on the command line. */
final class Formats {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 10000 as "10,000". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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

    /** What the issuer allows, in short: "backup, until 2030-01-01, 10 plays". */
    static String rights(Rights rights) {
        List<String> parts = new ArrayList<>();
        parts.add(rights.backupAllowed() ? "backup" : "no backup");
        if (rights.notBefore() != null) {
            parts.add("from " + date(rights.notBefore()));
        }
        if (rights.notAfter() != null) {
            parts.add("until " + date(rights.notAfter()));
        }
        if (rights.validAfterFirstUse() != null) {
            parts.add(rights.validAfterFirstUse().toHours() + " h after first use");
        }
        if (rights.playCount() != null) {
            parts.add(count(rights.playCount()) + " plays");
        }
        if (rights.copyCount() != null) {
            parts.add(count(rights.copyCount()) + " copies");
        }
        return String.join(", ", parts);
    }

    /** The device's record of use: "unused" or "3 plays, 1 copy, first 2024-05-01". */
    static String usage(Usage usage) {
        if (usage.equals(Usage.NONE)) {
            return "unused";
        }
        List<String> parts = new ArrayList<>();
        parts.add(plural(usage.playsUsed(), "play", "plays"));
        parts.add(plural(usage.copiesUsed(), "copy", "copies"));
        if (usage.firstUsedAt() != null) {
            parts.add("first " + date(usage.firstUsedAt()));
        }
        return String.join(", ", parts);
    }

    private static String plural(int n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    private static String date(Instant instant) {
        return DATE.format(instant);
    }
}
