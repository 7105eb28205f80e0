package org.licensebackup.schedule.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A retention policy as restic's {@code forget} states it: keep the newest {@code last} backups,
 * and the newest backup of each of the newest {@code daily} days, {@code weekly} ISO weeks and
 * {@code monthly} months that have one; a backup any rule keeps is kept. With no rule at all,
 * everything is kept (restic, too, removes nothing without a policy). Whatever the rules, the newest
 * good backup is always kept.
 *
 * @param zone where days, weeks and months begin
 */
record Retention(int last, int daily, int weekly, int monthly, ZoneId zone) {

    /** One backup as retention sees it. */
    record Candidate<T>(T backup, Instant createdAt, boolean good) {
        Candidate {
            Objects.requireNonNull(backup, "backup");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    Retention {
        if (last < 0 || daily < 0 || weekly < 0 || monthly < 0) {
            throw new IllegalArgumentException("a retention count is negative: last " + last + ", daily " + daily
                    + ", weekly " + weekly + ", monthly " + monthly);
        }
        Objects.requireNonNull(zone, "zone");
    }

    boolean keepsEverything() {
        return last == 0 && daily == 0 && weekly == 0 && monthly == 0;
    }

    /** The backups to keep of {@code candidates}, in any order. */
    <T> Set<T> keep(List<Candidate<T>> candidates) {
        List<Candidate<T>> newestFirst = new ArrayList<>(candidates);
        newestFirst.sort(Comparator.comparing((Candidate<T> candidate) -> candidate.createdAt()).reversed());
        Set<T> kept = new LinkedHashSet<>();
        if (keepsEverything()) {
            newestFirst.forEach(candidate -> kept.add(candidate.backup()));
            return kept;
        }
        newestFirst.stream().limit(last).forEach(candidate -> kept.add(candidate.backup()));
        keepNewestPer(newestFirst, daily, time -> time.truncatedTo(ChronoUnit.DAYS), kept);
        keepNewestPer(newestFirst, weekly, time -> time.get(IsoFields.WEEK_BASED_YEAR) * 100 + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), kept);
        keepNewestPer(newestFirst, monthly, time -> time.getYear() * 100 + time.getMonthValue(), kept);
        newestFirst.stream().filter(Candidate::good).findFirst().ifPresent(candidate -> kept.add(candidate.backup()));
        return kept;
    }

    /** As restic does: walking from the newest, each backup whose bucket differs from the one before is kept, {@code count} times. */
    private <T> void keepNewestPer(List<Candidate<T>> newestFirst, int count, Function<ZonedDateTime, Object> bucket, Set<T> kept) {
        Object previous = null;
        int left = count;
        for (Candidate<T> candidate : newestFirst) {
            if (left == 0) {
                return;
            }
            Object current = bucket.apply(candidate.createdAt().atZone(zone));
            if (!current.equals(previous)) {
                kept.add(candidate.backup());
                previous = current;
                left--;
            }
        }
    }
}
