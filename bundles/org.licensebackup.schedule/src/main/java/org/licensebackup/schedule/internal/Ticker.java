package org.licensebackup.schedule.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clock and the thread of the schedules: the real one, or one a test drives through a year in
 * moments. Everything a schedule does runs on its ticker's thread, one task at a time.
 */
interface Ticker {

    Instant now();

    /** Runs {@code task} at {@code when} (at once when that has passed); the handle cancels it. */
    Runnable at(Instant when, Runnable task);

    /** Runs {@code task} as soon as the thread is free. */
    void execute(Runnable task);

    /** On a thread of {@code executor}, by {@code clock}. */
    static Ticker of(Clock clock, ScheduledExecutorService executor) {
        return new Ticker() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public Runnable at(Instant when, Runnable task) {
                long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
                ScheduledFuture<?> future = executor.schedule(task, delay, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }
        };
    }
}
