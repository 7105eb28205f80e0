package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Report;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

class ProgressDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final ProgressBoard board = new ProgressBoard();

    @Test
    void drawsABarOnAConsole() {
        String line = display(true).describe("backup", new ProgressBoard.Snapshot(50, 200, 3, false));
        assertEquals("backup     [#######.......................]  25%  50 / 200, 3 left out", line);
    }

    @Test
    void writesPlainNumbersElsewhere() {
        String line = display(false).describe("restore", new ProgressBoard.Snapshot(1_500, 3_000, 0, false));
        assertEquals("restore: 50% (1,500 / 3,000)", line);
    }

    @Test
    void saysStartingBeforeTheTotalIsKnown() {
        assertEquals("backup: starting",
                display(false).describe("backup", ProgressBoard.Snapshot.NOTHING_YET));
    }

    @Test
    void endsTheBarAtTheReportsNumbersOnAConsole() {
        Report report = new Report("op", OperationKind.BACKUP, Path.of("f"), 10, 10, 0, Map.of(), List.of(), 0, 1,
                "d", Duration.ZERO);
        assertEquals(report, display(true).follow(operation(resolved(report)), "backup"));
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\rbackup     [##############################] 100%  10 / 10"), drawn);
        assertTrue(drawn.endsWith("\n"));
    }

    @Test
    void drawsNothingAtTheEndWhenNotOnAConsole() {
        Report report = new Report("op", OperationKind.BACKUP, Path.of("f"), 1, 1, 0, Map.of(), List.of(), 0, 1,
                "d", Duration.ZERO);
        display(false).follow(operation(resolved(report)), "backup");
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void rethrowsTheFailureOfTheOperation() {
        Deferred<Report> deferred = new Deferred<>();
        deferred.fail(new BackupRestoreException(ErrorCode.BACKUP_CORRUPT, "bad tag"));
        BackupRestoreException thrown = assertThrows(BackupRestoreException.class,
                () -> display(false).follow(operation(deferred.getPromise()), "restore"));
        assertEquals(ErrorCode.BACKUP_CORRUPT, thrown.code());
    }

    @Test
    void typesAnUnexpectedFailureAsInternal() {
        Deferred<Report> deferred = new Deferred<>();
        deferred.fail(new IllegalStateException("boom"));
        BackupRestoreException thrown = assertThrows(BackupRestoreException.class,
                () -> display(false).follow(operation(deferred.getPromise()), "restore"));
        assertEquals(ErrorCode.INTERNAL_ERROR, thrown.code());
    }

    private ProgressDisplay display(boolean console) {
        return new ProgressDisplay(out, console, board, Duration.ZERO);
    }

    @Test
    void waitsForTheEndEventOnceTheResultIsKnown() {
        Report report = new Report("op", OperationKind.BACKUP, Path.of("f"), 1, 1, 0, Map.of(), List.of(), 0, 1,
                "d", Duration.ZERO);
        AtomicBoolean endPosted = new AtomicBoolean();
        CompletableFuture.runAsync(() -> {
            sleep(300);
            endPosted.set(true);
            board.record(EventTopics.BACKUP_END, key -> key.equals(EventProperties.OPERATION_ID) ? "op" : null);
        });
        new ProgressDisplay(out, false, board, Duration.ofMinutes(10)).follow(operation(resolved(report)), "backup");
        // Returned only once the END came: a display that did not wait would be back long before it.
        assertTrue(endPosted.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Promise<Report> resolved(Report report) {
        Deferred<Report> deferred = new Deferred<>();
        deferred.resolve(report);
        return deferred.getPromise();
    }

    private static Operation operation(Promise<Report> result) {
        return new Operation() {
            @Override
            public String id() {
                return "op";
            }

            @Override
            public OperationKind kind() {
                return OperationKind.BACKUP;
            }

            @Override
            public Promise<Report> result() {
                return result;
            }

            @Override
            public boolean cancel() {
                return false;
            }
        };
    }
}
