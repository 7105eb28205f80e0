package org.licensebackup.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Report;

/**
 * Follows a running operation on the caller's thread: a progress bar redrawn in place on a console,
 * or a plain line now and then when the output goes to a file or a pipe, where a bar would only
 * leave carriage returns behind.
 */
final class ProgressDisplay {

    private static final Duration CONSOLE_TICK = Duration.ofMillis(100);
    private static final Duration PLAIN_TICK = Duration.ofSeconds(1);
    private static final int BAR_WIDTH = 30;
    /**
     * How long to wait, once the result is known, for the operation's END event: its handlers are
     * still at work until then, and a framework stopped under them warns that events were lost.
     */
    static final Duration END_EVENT_PATIENCE = Duration.ofSeconds(2);
    private static final Duration END_EVENT_SETTLING = Duration.ofMillis(50);

    private final PrintStream out;
    private final boolean console;
    private final ProgressBoard board;
    private final Duration endEventPatience;
    /** How wide the bar drawn last on the console is, so that a shorter one wipes it out entirely. */
    private int drawnWidth;

    /**
     * @param console whether {@code out} is a console, where a bar can redraw itself
     * @param endEventPatience how long to wait for an operation's END event once its result is known
     */
    ProgressDisplay(PrintStream out, boolean console, ProgressBoard board, Duration endEventPatience) {
        this.out = Objects.requireNonNull(out, "out");
        this.console = console;
        this.board = Objects.requireNonNull(board, "board");
        this.endEventPatience = Objects.requireNonNull(endEventPatience, "endEventPatience");
    }

    /**
     * Shows the progress of {@code operation} until it ends.
     *
     * @param label what the operation does, e.g. "backing up"
     * @return its report
     * @throws BackupRestoreException when it failed or was cancelled
     */
    Report follow(Operation operation, String label) {
        CountDownLatch ended = new CountDownLatch(1);
        operation.result().onResolve(ended::countDown);
        long tickMillis = (console ? CONSOLE_TICK : PLAIN_TICK).toMillis();
        ProgressBoard.Snapshot shown = null;
        try {
            while (!ended.await(tickMillis, TimeUnit.MILLISECONDS)) {
                ProgressBoard.Snapshot now = board.snapshot(operation.id());
                if (!now.equals(shown)) {
                    draw(label, now);
                    shown = now;
                }
            }
            awaitEndEvent(operation.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            operation.cancel();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted; the operation was cancelled");
        } finally {
            board.forget(operation.id());
        }
        return outcome(operation, label, shown);
    }

    private void awaitEndEvent(String operationId) throws InterruptedException {
        long deadline = System.nanoTime() + endEventPatience.toNanos();
        while (!board.snapshot(operationId).ended()) {
            if (System.nanoTime() >= deadline) {
                return;
            }
            Thread.sleep(10);
        }
        // The handler saw END while EventAdmin was still delivering it; let that delivery finish.
        Thread.sleep(END_EVENT_SETTLING.toMillis());
    }

    private Report outcome(Operation operation, String label, ProgressBoard.Snapshot shown) {
        Throwable failure;
        try {
            failure = operation.result().getFailure();
        } catch (InterruptedException e) {
            // The promise has resolved already, so asking for its outcome does not wait.
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted");
        }
        if (failure != null) {
            endLine(shown);
            throw failure instanceof BackupRestoreException known
                    ? known
                    : new BackupRestoreException(ErrorCode.INTERNAL_ERROR, String.valueOf(failure), failure);
        }
        Report report;
        try {
            report = operation.result().getValue();
        } catch (Exception e) {
            throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "no report: " + e, e);
        }
        if (console) {
            draw(label, new ProgressBoard.Snapshot(report.considered(), report.considered(), report.leftOutCount(), true));
            out.println();
            drawnWidth = 0;
        }
        return report;
    }

    /** Ends a bar left open on a console so that what follows starts on a line of its own. */
    private void endLine(ProgressBoard.Snapshot shown) {
        if (console && shown != null) {
            out.println();
            drawnWidth = 0;
        }
    }

    private void draw(String label, ProgressBoard.Snapshot progress) {
        String line = describe(label, progress);
        if (console) {
            out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            drawnWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** One line of progress: a bar on a console, numbers only otherwise. */
    String describe(String label, ProgressBoard.Snapshot progress) {
        if (progress.total() <= 0) {
            return label + ": starting";
        }
        long percent = Math.min(100, progress.done() * 100 / progress.total());
        String counts = Formats.count(progress.done()) + " / " + Formats.count(progress.total())
                + (progress.leftOut() > 0 ? ", " + Formats.count(progress.leftOut()) + " left out" : "");
        if (!console) {
            return label + ": " + percent + "% (" + counts + ")";
        }
        int filled = (int) (percent * BAR_WIDTH / 100);
        return String.format("%-10s [%s%s] %3d%%  %s", label, "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                percent, counts);
    }
}
