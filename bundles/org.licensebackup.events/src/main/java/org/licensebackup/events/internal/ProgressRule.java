package org.licensebackup.events.internal;

/**
 * When a {@code PROGRESS} event is due. The first report of an operation is always posted; after it,
 * one is posted when {@code done} has reached another step of {@code total} ({@code stepPercent} %
 * of it), or when {@code intervalNanos} have passed since the last one posted.
 *
 * <p>So a small, fast operation still shows its way (a restore of 900 licenses: one event per step,
 * about 100 with 1 % steps, however fast it runs), a large one never floods EventAdmin (at most
 * {@code 100 / stepPercent + 1} step events, whatever its size, plus at most one per interval), and a
 * slow one, where a step takes minutes, still shows life once per interval.
 */
final class ProgressRule {

    private final int steps;
    private final long intervalNanos;

    private boolean posted;
    private long lastPostedAt;
    private long lastStep;

    /**
     * @param stepPercent 1 to 100; 0: no step events, the interval alone decides
     * @param intervalNanos 0 or more
     */
    ProgressRule(int stepPercent, long intervalNanos) {
        if (stepPercent < 0 || stepPercent > 100) {
            throw new IllegalArgumentException("a progress step is 0 to 100 %, not " + stepPercent);
        }
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("a progress interval is not negative: " + intervalNanos);
        }
        this.steps = stepPercent == 0 ? 0 : 100 / stepPercent;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Whether a report of {@code done} of {@code total}, made at {@code now} (nanoseconds of a
     * monotonic clock), is to be posted; when it is, it counts as posted.
     */
    boolean due(long done, long total, long now) {
        long step = step(done, total);
        boolean due = !posted || step > lastStep || now - lastPostedAt >= intervalNanos;
        if (due) {
            posted = true;
            lastPostedAt = now;
            lastStep = step;
        }
        return due;
    }

    /** Which step {@code done} is in: 0 to {@link #steps}; always 0 without steps or a total. */
    private long step(long done, long total) {
        if (steps == 0 || total <= 0 || done <= 0) {
            return 0;
        }
        long clamped = Math.min(done, total);
        // done * steps overflows only past 9e16 licenses with 1 % steps; divide first then
        return clamped <= Long.MAX_VALUE / steps ? clamped * steps / total : clamped / (total / steps);
    }

    /** Notes a report posted for another reason (the last one before END). */
    void posted(long done, long total, long now) {
        posted = true;
        lastPostedAt = now;
        lastStep = step(done, total);
    }
}
