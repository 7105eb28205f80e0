package org.licensebackup.schedule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Retention's rules, one by one, on hand-made histories. */
class RetentionTest {

    /** A good backup named by its time. */
    private static Retention.Candidate<String> at(String time) {
        return candidate(time, true);
    }

    /** An unreadable backup (or one a verify failed) named by its time. */
    private static Retention.Candidate<String> badAt(String time) {
        return candidate(time, false);
    }

    private static Retention.Candidate<String> candidate(String time, boolean good) {
        return new Retention.Candidate<>(time, Instant.parse(time), good);
    }

    @Test
    void keepLastKeepsTheNewest() {
        assertEquals(Set.of("2026-01-03T00:00:00Z", "2026-01-02T00:00:00Z"), new Retention(2, 0, 0, 0, ZoneOffset.UTC)
                .keep(List.of(at("2026-01-01T00:00:00Z"), at("2026-01-03T00:00:00Z"), at("2026-01-02T00:00:00Z"))));
    }

    @Test
    void keepDailyKeepsTheNewestOfEachDayThatHasOne() {
        assertEquals(Set.of("2026-01-03T20:00:00Z", "2026-01-01T23:00:00Z"), new Retention(0, 2, 0, 0, ZoneOffset.UTC)
                .keep(List.of(at("2026-01-01T01:00:00Z"), at("2026-01-01T23:00:00Z"), at("2026-01-03T08:00:00Z"),
                        at("2026-01-03T20:00:00Z"))));
    }

    @Test
    void keepWeeklyAndMonthlyGoByIsoWeeksAndMonths() {
        // 2026-01-04 is a Sunday, so the 4th and 5th lie in two ISO weeks; the month is the same
        List<Retention.Candidate<String>> history = List.of(at("2026-01-04T00:00:00Z"), at("2026-01-05T00:00:00Z"),
                at("2025-12-31T00:00:00Z"));
        assertEquals(Set.of("2026-01-05T00:00:00Z", "2026-01-04T00:00:00Z"), new Retention(0, 0, 2, 0, ZoneOffset.UTC).keep(history));
        assertEquals(Set.of("2026-01-05T00:00:00Z", "2025-12-31T00:00:00Z"), new Retention(0, 0, 0, 2, ZoneOffset.UTC).keep(history));
    }

    @Test
    void theNewestGoodBackupIsKeptWhateverThePolicy() {
        assertEquals(Set.of("2026-01-03T00:00:00Z", "2026-01-02T00:00:00Z"), new Retention(1, 0, 0, 0, ZoneOffset.UTC)
                .keep(List.of(at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z"), badAt("2026-01-03T00:00:00Z"))));
    }

    @Test
    void withoutAnyRuleEverythingIsKept() {
        assertEquals(Set.of("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), new Retention(0, 0, 0, 0, ZoneOffset.UTC)
                .keep(List.of(at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z"))));
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Retention(-1, 0, 0, 0, ZoneOffset.UTC));
    }
}
