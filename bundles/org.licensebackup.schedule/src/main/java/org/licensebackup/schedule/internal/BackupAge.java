package org.licensebackup.schedule.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.licensebackup.api.schedule.ScheduleStatus;

/**
 * What the health check says of the schedules: CRITICAL when a schedule's last good backup is older
 * than {@code criticalAge} or its last {@code criticalFailures} backups failed; WARN when it is older
 * than {@code warnAge}, when a schedule has no good backup yet, or when there is no schedule at all;
 * else OK.
 */
record BackupAge(Duration warnAge, Duration criticalAge, int criticalFailures) {

    enum Level { OK, WARN, CRITICAL }

    /** What one schedule (or their absence) comes to. */
    record Line(Level level, String text) {
    }

    /** The worst level, and a line for each schedule (or for their absence). */
    record Verdict(Level level, List<Line> lines) {
    }

    BackupAge {
        if (warnAge.isNegative() || criticalAge.compareTo(warnAge) < 0 || criticalFailures < 1) {
            throw new IllegalArgumentException("warn.age (" + warnAge + ") at most critical.age (" + criticalAge
                    + "), critical.failures (" + criticalFailures + ") at least 1");
        }
    }

    Verdict assess(List<ScheduleStatus> schedules, Instant now) {
        if (schedules.isEmpty()) {
            return new Verdict(Level.WARN, List.of(new Line(Level.WARN, "no scheduled backups are configured (factory configuration org.licensebackup.schedule)")));
        }
        Level worst = Level.OK;
        List<Line> lines = new ArrayList<>();
        for (ScheduleStatus schedule : schedules) {
            Level level;
            String line;
            if (schedule.consecutiveFailures() >= criticalFailures) {
                level = Level.CRITICAL;
                line = "the last " + schedule.consecutiveFailures() + " backups failed, the last with "
                        + schedule.lastError().map(Enum::name).orElse("?");
            } else if (schedule.lastSuccess().isEmpty()) {
                level = Level.WARN;
                line = "no good backup yet";
            } else {
                Duration age = Duration.between(schedule.lastSuccess().get(), now);
                level = age.compareTo(criticalAge) > 0 ? Level.CRITICAL : age.compareTo(warnAge) > 0 ? Level.WARN : Level.OK;
                line = "last good backup " + age.toMinutes() / 60 + " h ago" + (schedule.consecutiveFailures() > 0
                        ? ", " + schedule.consecutiveFailures() + " failed since" : "");
            }
            lines.add(new Line(level, "schedule " + schedule.name() + " (" + schedule.directory() + "): " + line));
            if (level.compareTo(worst) > 0) {
                worst = level;
            }
        }
        return new Verdict(worst, lines);
    }
}
