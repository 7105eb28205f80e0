package org.licensebackup.schedule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.licensebackup.schedule.internal.BackupAge.Level;

/** The health check's three states. */
class BackupAgeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final BackupAge age = new BackupAge(Duration.ofDays(2), Duration.ofDays(7), 3);

    private static ScheduleStatus lastGood(Duration ago, int failures) {
        return new ScheduleStatus("nightly", Path.of("/backups"), Optional.of(NOW.minus(ago)), Optional.of(NOW.minus(ago)),
                failures > 0 ? Optional.of(ErrorCode.IO_ERROR) : Optional.empty(), failures, Optional.of(NOW.plusSeconds(3600)));
    }

    @Test
    void okWhileTheLastGoodBackupIsYoungerThanTheWarnAge() {
        assertEquals(Level.OK, age.assess(List.of(lastGood(Duration.ofHours(30), 0)), NOW).level());
        assertEquals(Level.OK, age.assess(List.of(lastGood(Duration.ofHours(30), 2)), NOW).level());
    }

    @Test
    void warnWhenOlderThanTheWarnAgeOrWhenThereIsNoBackupOrNoSchedule() {
        assertEquals(Level.WARN, age.assess(List.of(lastGood(Duration.ofDays(3), 0)), NOW).level());
        ScheduleStatus none = new ScheduleStatus("new", Path.of("/b"), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.of(NOW));
        assertEquals(Level.WARN, age.assess(List.of(none), NOW).level());
        assertEquals(Level.WARN, age.assess(List.of(), NOW).level());
    }

    @Test
    void criticalWhenOlderStillOrTheLastBackupsFailed() {
        assertEquals(Level.CRITICAL, age.assess(List.of(lastGood(Duration.ofDays(8), 0)), NOW).level());
        BackupAge.Verdict failing = age.assess(List.of(lastGood(Duration.ofHours(1), 0), lastGood(Duration.ofHours(5), 3)), NOW);
        assertEquals(Level.CRITICAL, failing.level());
        assertEquals(List.of(Level.OK, Level.CRITICAL), failing.lines().stream().map(BackupAge.Line::level).toList());
        assertEquals(true, failing.lines().get(1).text().contains("IO_ERROR"), failing.lines().get(1)::text);
    }

    @Test
    void thresholdsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BackupAge(Duration.ofDays(7), Duration.ofDays(2), 3));
        assertThrows(IllegalArgumentException.class, () -> new BackupAge(Duration.ofDays(1), Duration.ofDays(2), 0));
    }
}
