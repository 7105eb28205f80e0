package org.licensebackup.schedule.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** When a schedule's backups are due. */
interface Timetable {

    /** The first time strictly after {@code after} a backup is due. */
    Instant next(Instant after);

    /**
     * A timetable from a schedule's configuration: a cron-like expression (five fields, see
     * {@link Cron}) when given, else a period (ISO-8601, e.g. {@code P1D}, {@code PT6H}).
     *
     * @throws IllegalArgumentException for neither, or a malformed one, saying which
     */
    static Timetable of(String cron, String period, ZoneId zone) {
        if (cron != null && !cron.isBlank()) {
            return Cron.parse(cron, zone);
        }
        if (period == null || period.isBlank()) {
            throw new IllegalArgumentException("a schedule needs a period (e.g. P1D) or a cron expression (e.g. \"0 3 * * *\")");
        }
        Duration every;
        try {
            every = Duration.parse(period.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 period such as P1D or PT6H: " + period, e);
        }
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("a period of at least one minute, not " + period);
        }
        return after -> after.plus(every);
    }
}
