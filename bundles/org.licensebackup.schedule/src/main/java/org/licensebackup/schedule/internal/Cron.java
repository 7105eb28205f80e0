package org.licensebackup.schedule.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A cron-like timetable of five fields: minute (0-59), hour (0-23), day of month (1-31), month
 * (1-12), day of week (0-7, 0 and 7 are Sunday). Each field is {@code *}, a number, a range
 * {@code a-b}, any of these with a step {@code /n}, or a comma-separated list of them. As in cron,
 * when both day fields are restricted, a day matching either is due.
 */
final class Cron implements Timetable {

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;
    private final ZoneId zone;

    private Cron(String[] fields, ZoneId zone) {
        minutes = field(fields[0], 0, 59, "minute");
        hours = field(fields[1], 0, 23, "hour");
        daysOfMonth = field(fields[2], 1, 31, "day of month");
        months = field(fields[3], 1, 12, "month");
        daysOfWeek = field(fields[4], 0, 7, "day of week");
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
        }
        anyDayOfMonth = fields[2].equals("*");
        anyDayOfWeek = fields[4].equals("*");
        this.zone = zone;
    }

    /** @throws IllegalArgumentException for an expression that is not five valid fields, or is never due */
    static Cron parse(String expression, ZoneId zone) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron expression has five fields (minute hour day-of-month month day-of-week), not: "
                    + expression);
        }
        Cron cron = new Cron(fields, zone);
        try {
            // five years from a leap year's start hold every day that is ever due
            cron.next(Instant.parse("2024-01-01T00:00:00Z"));
        } catch (IllegalStateException never) {
            throw new IllegalArgumentException("the cron expression is never due: " + expression, never);
        }
        return cron;
    }

    @Override
    public Instant next(Instant after) {
        ZonedDateTime time = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        // at most a few years of days are looked at: a day that is never due (Feb 30) is refused
        ZonedDateTime giveUp = time.plusYears(5);
        while (time.isBefore(giveUp)) {
            if (!months.get(time.getMonthValue())) {
                time = time.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!dayMatches(time)) {
                time = time.plusDays(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!hours.get(time.getHour())) {
                time = time.plusHours(1).truncatedTo(ChronoUnit.HOURS);
            } else if (!minutes.get(time.getMinute())) {
                time = time.plusMinutes(1);
            } else {
                return time.toInstant();
            }
        }
        throw new IllegalStateException("the cron expression is never due within five years");
    }

    private boolean dayMatches(ZonedDateTime time) {
        boolean byMonth = daysOfMonth.get(time.getDayOfMonth());
        boolean byWeek = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return byMonth && byWeek;
        }
        return byMonth || byWeek;
    }

    private static BitSet field(String field, int min, int max, String name) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",")) {
            try {
                String range = part;
                int step = 1;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    range = part.substring(0, slash);
                    step = Integer.parseInt(part.substring(slash + 1));
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    from = Integer.parseInt(range.substring(0, range.indexOf('-')));
                    to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
                } else {
                    from = Integer.parseInt(range);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to || step < 1) {
                    throw new IllegalArgumentException(name + " out of " + min + "-" + max + ": " + part);
                }
                for (int value = from; value <= to; value += step) {
                    values.set(value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a " + name + " field: " + part, e);
            }
        }
        return values;
    }
}
