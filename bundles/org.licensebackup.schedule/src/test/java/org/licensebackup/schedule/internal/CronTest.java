package org.licensebackup.schedule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The cron-like timetable and the period, as a schedule's configuration states them. */
class CronTest {

    private static Instant next(String cron, String after) {
        return Cron.parse(cron, ZoneOffset.UTC).next(Instant.parse(after));
    }

    @Test
    void aDailyTimeIsDueNextAtThatTimeTodayOrTomorrow() {
        assertEquals(Instant.parse("2026-11-30T03:00:00Z"), next("0 3 * * *", "2026-11-30T01:00:00Z"));
        assertEquals(Instant.parse("2026-12-01T03:00:00Z"), next("0 3 * * *", "2026-11-30T03:00:00Z"));
    }

    @Test
    void stepsRangesAndListsAreUnderstood() {
        assertEquals(Instant.parse("2026-11-30T01:15:00Z"), next("*/15 * * * *", "2026-11-30T01:02:00Z"));
        assertEquals(Instant.parse("2026-11-30T09:30:00Z"), next("30 9-17/4 * * *", "2026-11-30T01:00:00Z"));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), next("0 0 1,15 * *", "2026-11-16T00:00:00Z"));
    }

    @Test
    void bothDayFieldsRestrictedMeansEitherAsInCron() {
        // 2026-12-04 is a Friday (5), before the 15th
        assertEquals(Instant.parse("2026-12-04T00:00:00Z"), next("0 0 15 * 5", "2026-12-01T00:00:00Z"));
        // Sunday as 7 and as 0: 2026-12-06
        assertEquals(Instant.parse("2026-12-06T04:00:00Z"), next("0 4 * * 7", "2026-12-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-12-06T04:00:00Z"), next("0 4 * * 0", "2026-12-01T00:00:00Z"));
    }

    @Test
    void theTimeZoneSaysWhenADayBegins() {
        assertEquals(Instant.parse("2026-11-30T02:00:00Z"),
                Cron.parse("0 3 * * *", ZoneId.of("Europe/Berlin")).next(Instant.parse("2026-11-30T00:00:00Z")));
    }

    @Test
    void malformedExpressionsAreRefusedSayingWhy() {
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 3 * *", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("61 3 * * *", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 x * * *", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 3 30 2 *", ZoneOffset.UTC));
    }

    @Test
    void aPeriodIsAnIsoDurationOfAtLeastAMinute() {
        assertEquals(Instant.parse("2026-11-30T06:00:00Z"),
                Timetable.of("", "PT6H", ZoneOffset.UTC).next(Instant.parse("2026-11-30T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Timetable.of("", "daily", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> Timetable.of("", "PT1S", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> Timetable.of("", "", ZoneOffset.UTC));
    }
}
