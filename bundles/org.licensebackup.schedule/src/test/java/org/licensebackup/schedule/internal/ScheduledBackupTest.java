package org.licensebackup.schedule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.licensebackup.api.schedule.ScheduleTopics;

/**
 * A schedule over simulated time: retention over a year of daily backups keeps exactly what the
 * policy says and never the only good one, leaves others' backups alone, never deletes while an
 * operation runs; a failing backup is retried with backoff and reported.
 */
class ScheduledBackupTest {

    private static final Instant START = Instant.parse("2025-12-01T00:00:00Z");
    private static final Retention POLICY = new Retention(7, 14, 8, 12, ZoneOffset.UTC);

    @TempDir
    Path directory;

    private final FakeTicker ticker = new FakeTicker(START);
    private final FakeBackups backups = new FakeBackups(ticker);
    private final List<Map.Entry<String, Map<String, Object>>> events = new ArrayList<>();

    private ScheduledBackup schedule(Retention retention, int retries) {
        ScheduleSettings settings = new ScheduleSettings("nightly", directory, Cron.parse("0 3 * * *", ZoneOffset.UTC), retention,
                Duration.ofMinutes(1), Duration.ofMinutes(30), retries);
        ScheduledBackup schedule = new ScheduledBackup(settings, backups, backups, ticker,
                (topic, properties) -> events.add(Map.entry(topic, properties)), () -> null);
        schedule.start();
        return schedule;
    }

    @Test
    void aYearOfDailyBackupsKeepsExactlyWhatThePolicySays() {
        schedule(POLICY, 3);

        ticker.advanceTo(START.plus(Duration.ofDays(365)));

        assertEquals(365, backups.attempts.size());
        List<Instant> made = backups.attempts;
        assertEquals(expectedByPolicy(made), new TreeSet<>(backups.times()));
        // spot checks, by the calendar: the last 14 days, and the last backup of each of 12 months
        LocalDate lastDay = LocalDate.parse("2026-11-30");
        for (int day = 0; day < 14; day++) {
            assertTrue(backups.times().contains(at3(lastDay.minusDays(day))), "daily " + lastDay.minusDays(day));
        }
        for (String monthEnd : List.of("2025-12-31", "2026-01-31", "2026-02-28", "2026-06-30", "2026-10-31")) {
            assertTrue(backups.times().contains(at3(LocalDate.parse(monthEnd))), "monthly " + monthEnd);
        }
        assertFalse(backups.times().contains(at3(LocalDate.parse("2026-03-15"))), "a mid-month day of spring is gone");
        assertTrue(backups.times().size() < 40, backups.times()::toString);
        assertEquals(List.of(ScheduleTopics.BACKUP_COMPLETED, ScheduleTopics.RETENTION),
                events.stream().map(Map.Entry::getKey).distinct().toList());
    }

    @Test
    void theNewestGoodBackupIsKeptWhenEveryNewerOneIsUnreadable() {
        schedule(new Retention(2, 0, 0, 0, ZoneOffset.UTC), 0);
        ticker.advanceTo(START.plus(Duration.ofDays(3)));
        Instant lastGood = backups.times().get(backups.times().size() - 1);

        backups.writeUnreadable = true;
        ticker.advanceTo(START.plus(Duration.ofDays(10)));

        assertEquals(3, backups.backups.size(), backups.times()::toString);
        assertTrue(backups.times().contains(lastGood), "the only good backup stays");
    }

    @Test
    void backupsTheScheduleDidNotWriteAreLeftAlone() throws Exception {
        Path users = backups.addOthers(directory, START.minus(Duration.ofDays(400)));
        Files.writeString(directory.resolve("notes.txt"), "the user's");
        schedule(new Retention(1, 0, 0, 0, ZoneOffset.UTC), 0);

        ticker.advanceTo(START.plus(Duration.ofDays(30)));

        assertTrue(backups.backups.containsKey(users));
        assertEquals(2, backups.backups.size());
        assertTrue(Files.exists(directory.resolve("notes.txt")));
    }

    @Test
    void nothingIsDeletedWhileAnOperationRunsAndRetentionCatchesUpAfter() {
        schedule(new Retention(2, 0, 0, 0, ZoneOffset.UTC), 0);
        backups.busy = true;
        ticker.advanceTo(START.plus(Duration.ofDays(5)));
        assertEquals(5, backups.backups.size());

        backups.busy = false;
        ticker.advanceTo(START.plus(Duration.ofDays(6)));
        assertEquals(2, backups.backups.size());
    }

    @Test
    void aDirectoryThatCannotBeListedSkipsRetentionButNotTheNextBackups() {
        ScheduledBackup schedule = schedule(new Retention(1, 0, 0, 0, ZoneOffset.UTC), 0);
        backups.listFails = true;

        ticker.advanceTo(START.plus(Duration.ofDays(3)));

        assertEquals(3, backups.attempts.size());
        assertEquals(3, backups.backups.size());
        assertEquals(Optional.of(Instant.parse("2025-12-04T03:00:00Z")), schedule.status().nextRun());
    }

    @Test
    void aFailingBackupIsRetriedWithBackoffAndReported() {
        ScheduledBackup schedule = schedule(POLICY, 5);
        backups.failNext = 3;

        ticker.advanceTo(START.plus(Duration.ofHours(4)));

        Instant due = Instant.parse("2025-12-01T03:00:00Z");
        assertEquals(List.of(due, due.plus(Duration.ofMinutes(1)), due.plus(Duration.ofMinutes(3)), due.plus(Duration.ofMinutes(7))),
                backups.attempts);
        List<Map<String, Object>> failures = events.stream().filter(event -> event.getKey().equals(ScheduleTopics.BACKUP_FAILED))
                .map(Map.Entry::getValue).toList();
        assertEquals(List.of(1, 2, 3), failures.stream().map(event -> event.get(ScheduleTopics.FAILURES)).toList());
        assertEquals(due.plus(Duration.ofMinutes(1)).toEpochMilli(), failures.get(0).get(ScheduleTopics.RETRY_AT));
        assertEquals(ErrorCode.IO_ERROR.name(), failures.get(0).get("error.code"));
        ScheduleStatus status = schedule.status();
        assertEquals(0, status.consecutiveFailures());
        assertEquals(Optional.of(due.plus(Duration.ofMinutes(7))), status.lastSuccess());
        assertEquals(Optional.of(Instant.parse("2025-12-02T03:00:00Z")), status.nextRun());
    }

    @Test
    void aBackupThatKeepsFailingIsReportedAndTriedAgainAtItsNextRegularTime() {
        ScheduledBackup schedule = schedule(POLICY, 2);
        backups.failNext = 100;

        ticker.advanceTo(Instant.parse("2025-12-01T12:00:00Z"));

        ScheduleStatus status = schedule.status();
        assertEquals(3, status.consecutiveFailures());
        assertEquals(Optional.of(ErrorCode.IO_ERROR), status.lastError());
        assertEquals(Optional.empty(), status.lastSuccess());
        assertEquals(Optional.of(Instant.parse("2025-12-02T03:00:00Z")), status.nextRun());
        assertFalse(events.get(events.size() - 1).getValue().containsKey(ScheduleTopics.RETRY_AT));
    }

    @Test
    void aStoppedScheduleBacksUpNoMore() {
        ScheduledBackup schedule = schedule(POLICY, 0);
        ticker.advanceTo(START.plus(Duration.ofDays(2)));
        schedule.stop();

        ticker.advanceTo(START.plus(Duration.ofDays(5)));

        assertEquals(2, backups.attempts.size());
        assertEquals(Optional.empty(), schedule.status().nextRun());
    }

    /**
     * The policy computed another way than {@link Retention} does: group the backups by day, week and
     * month, take the newest of each group, then the newest groups.
     */
    private static Set<Instant> expectedByPolicy(List<Instant> made) {
        Set<Instant> kept = new TreeSet<>();
        made.stream().sorted(Comparator.reverseOrder()).limit(POLICY.last()).forEach(kept::add);
        kept.addAll(newestOfNewestGroups(made, POLICY.daily(), time -> time.toLocalDate()));
        kept.addAll(newestOfNewestGroups(made, POLICY.weekly(),
                time -> time.get(IsoFields.WEEK_BASED_YEAR) * 100 + time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        kept.addAll(newestOfNewestGroups(made, POLICY.monthly(), time -> time.getYear() * 100 + time.getMonthValue()));
        return kept;
    }

    private static List<Instant> newestOfNewestGroups(List<Instant> made, int groups, Function<ZonedDateTime, Object> key) {
        return made.stream().collect(Collectors.groupingBy(time -> key.apply(time.atZone(ZoneOffset.UTC))))
                .values().stream().map(group -> group.stream().max(Comparator.naturalOrder()).orElseThrow())
                .sorted(Comparator.reverseOrder()).limit(groups).toList();
    }

    private static Instant at3(LocalDate day) {
        return day.atTime(3, 0).toInstant(ZoneOffset.UTC);
    }
}
