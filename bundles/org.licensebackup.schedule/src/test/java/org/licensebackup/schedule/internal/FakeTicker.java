package org.licensebackup.schedule.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A ticker whose time moves only when the test says: a year of schedules runs in moments. */
final class FakeTicker implements Ticker {

    private record Task(Instant when, long order, Runnable task) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.when.equals(b.when)
            ? Long.compare(a.order, b.order) : a.when.compareTo(b.when));
    private Instant now;
    private long order;

    FakeTicker(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Runnable at(Instant when, Runnable task) {
        Task scheduled = new Task(when.isBefore(now) ? now : when, order++, task);
        tasks.add(scheduled);
        return () -> tasks.remove(scheduled);
    }

    @Override
    public void execute(Runnable task) {
        at(now, task);
    }

    /** Runs every task due up to {@code end}, in time order, moving the clock to each; then to {@code end}. */
    void advanceTo(Instant end) {
        while (!tasks.isEmpty() && !tasks.peek().when.isAfter(end)) {
            Task next = tasks.poll();
            now = next.when;
            next.task.run();
        }
        now = end;
    }

    void advance(Duration duration) {
        advanceTo(now.plus(duration));
    }
}
