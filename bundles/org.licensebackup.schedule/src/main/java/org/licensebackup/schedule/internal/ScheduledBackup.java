package org.licensebackup.schedule.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Report;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.licensebackup.api.schedule.ScheduleTopics;
import org.osgi.service.log.Logger;

/**
 * One schedule at work: backs up into its directory when its timetable says (through
 * {@link BackupRestorer}, beside the backups there), retries a failed backup with backoff, and after
 * each completed backup deletes, of the backups it wrote, those its retention policy does not keep.
 * Retention never deletes the newest good backup, never a file it did not write
 * ({@link WrittenBackups}), and never while an operation runs ({@link BackupCatalog#delete} refuses
 * then, and retention waits for the next backup). Everything runs on its {@link Ticker}'s thread.
 */
final class ScheduledBackup {

    /** Posts an event under {@link ScheduleTopics}. */
    interface Poster {
        void post(String topic, Map<String, Object> properties);
    }

    private final ScheduleSettings settings;
    private final BackupRestorer restorer;
    private final BackupCatalog catalog;
    private final Ticker ticker;
    private final Poster poster;
    private final Supplier<Logger> logger;
    private final WrittenBackups written;

    // the ticker thread's alone
    private boolean stopped;
    private boolean backingUp;
    private Runnable pending = () -> { };
    private Instant nextRegular;
    private Optional<Instant> lastSuccess = Optional.empty();
    private Optional<Instant> lastAttempt = Optional.empty();
    private Optional<ErrorCode> lastError = Optional.empty();
    private int failures;
    private Optional<Instant> nextRun = Optional.empty();
    /** What {@link #status()} gives other threads. */
    private volatile ScheduleStatus status;

    ScheduledBackup(ScheduleSettings settings, BackupRestorer restorer, BackupCatalog catalog, Ticker ticker,
            Poster poster, Supplier<Logger> logger) {
        this.settings = settings;
        this.restorer = restorer;
        this.catalog = catalog;
        this.ticker = ticker;
        this.poster = poster;
        this.logger = logger;
        this.written = new WrittenBackups(settings.directory(), settings.name());
        this.status = snapshot();
    }

    /** Plans the first backup; the last success is the newest good backup already in the directory. */
    void start() {
        ticker.execute(() -> {
            try {
                lastSuccess = catalog.list(settings.directory()).stream().filter(BackupInfo::good).findFirst()
                        .map(BackupInfo::createdAt);
            } catch (RuntimeException e) {
                warn("schedule {}: cannot list {}: {}", settings.name(), settings.directory(), e.toString());
            }
            nextRegular = settings.timetable().next(ticker.now());
            plan(nextRegular, true);
        });
    }

    /** Plans nothing more; a backup running now ends as it would. */
    void stop() {
        ticker.execute(() -> {
            stopped = true;
            pending.run();
            nextRun = Optional.empty();
            status = snapshot();
        });
    }

    /** Backs up now, outside the timetable (the regular backups stay as planned). */
    void runNow() {
        ticker.execute(() -> run(false));
    }

    ScheduleStatus status() {
        return status;
    }

    String name() {
        return settings.name();
    }

    private void plan(Instant when, boolean regular) {
        pending.run();
        nextRun = Optional.of(when);
        pending = ticker.at(when, () -> run(regular));
        status = snapshot();
    }

    private void run(boolean regular) {
        if (stopped || backingUp) {
            return;
        }
        Instant now = ticker.now();
        if (regular || !nextRegular.isAfter(now)) {
            nextRegular = settings.timetable().next(now);
        }
        pending.run();
        pending = () -> { };
        nextRun = Optional.empty();
        Operation operation;
        try {
            operation = restorer.backup(settings.directory(), BackupOptions.adding());
        } catch (BackupRestoreException refused) {
            failed(refused.code(), refused.getMessage(), null);
            return;
        } catch (RuntimeException unexpected) {
            // a restorer going away under the call: a failure like another, retried
            failed(ErrorCode.INTERNAL_ERROR, unexpected.toString(), null);
            return;
        }
        backingUp = true;
        status = snapshot();
        operation.result().onResolve(() -> ticker.execute(() -> ended(operation)));
    }

    private void ended(Operation operation) {
        backingUp = false;
        Throwable failure;
        Report report;
        try {
            failure = operation.result().getFailure();
            report = failure == null ? operation.result().getValue() : null;
        } catch (Exception resolvedAlready) {
            throw new IllegalStateException("the promise had resolved", resolvedAlready);
        }
        if (failure != null) {
            ErrorCode code = failure instanceof BackupRestoreException typed ? typed.code() : ErrorCode.INTERNAL_ERROR;
            failed(code, String.valueOf(failure.getMessage()), operation.id());
        } else {
            succeeded(report, operation.id());
        }
    }

    private void succeeded(Report report, String operationId) {
        Instant now = ticker.now();
        failures = 0;
        lastError = Optional.empty();
        lastAttempt = Optional.of(now);
        lastSuccess = Optional.of(now);
        Map<String, Object> properties = properties(operationId);
        properties.put(EventProperties.LOCATION, report.backupFile().toString());
        properties.put(EventProperties.SUCCEEDED, report.succeeded());
        poster.post(ScheduleTopics.BACKUP_COMPLETED, properties);
        try {
            written.add(report.backupFile().getFileName().toString());
            applyRetention();
        } catch (IOException | RuntimeException e) {
            // the next backup is planned whatever retention met; it tries again then
            warn("schedule {}: retention in {} skipped: {}", settings.name(), settings.directory(), e.toString());
        }
        plan(nextRegular, true);
    }

    private void failed(ErrorCode code, String message, String operationId) {
        Instant now = ticker.now();
        failures++;
        lastError = Optional.of(code);
        lastAttempt = Optional.of(now);
        Instant retry = failures <= settings.retries() ? now.plus(settings.backoff(failures)) : null;
        Map<String, Object> properties = properties(operationId);
        properties.put(EventProperties.ERROR_CODE, code.name());
        properties.put(EventProperties.MESSAGE, message);
        properties.put(ScheduleTopics.FAILURES, failures);
        if (retry != null && retry.isBefore(nextRegular)) {
            properties.put(ScheduleTopics.RETRY_AT, retry.toEpochMilli());
            plan(retry, false);
        } else {
            plan(nextRegular, true);
        }
        poster.post(ScheduleTopics.BACKUP_FAILED, properties);
        warn("schedule {}: backup into {} failed ({} in a row): {}: {}", settings.name(), settings.directory(),
                failures, code, message);
    }

    private void applyRetention() throws IOException {
        if (settings.retention().keepsEverything()) {
            return;
        }
        Set<String> mine = written.read();
        List<BackupInfo> listed = catalog.list(settings.directory());
        List<Retention.Candidate<BackupInfo>> candidates = listed.stream().filter(backup -> mine.contains(backup.name()))
                .map(backup -> new Retention.Candidate<>(backup, backup.createdAt(), backup.good())).toList();
        Set<BackupInfo> kept = settings.retention().keep(candidates);
        List<String> deleted = new ArrayList<>();
        for (Retention.Candidate<BackupInfo> candidate : candidates) {
            BackupInfo backup = candidate.backup();
            if (kept.contains(backup)) {
                continue;
            }
            try {
                catalog.delete(backup.file());
                deleted.add(backup.name());
            } catch (BackupRestoreException e) {
                if (e.code() == ErrorCode.BUSY) {
                    info("schedule {}: an operation runs, retention waits for the next backup", settings.name());
                    break;
                }
                warn("schedule {}: cannot delete {}: {}", settings.name(), backup.file(), e.getMessage());
            }
        }
        // forgets what it deleted and what is gone by other hands
        List<String> present = listed.stream().map(BackupInfo::name).filter(mine::contains)
                .filter(name -> !deleted.contains(name)).toList();
        written.write(present);
        if (!deleted.isEmpty()) {
            Map<String, Object> properties = properties(null);
            properties.put(ScheduleTopics.DELETED, deleted.toArray(new String[0]));
            poster.post(ScheduleTopics.RETENTION, properties);
        }
    }

    private Map<String, Object> properties(String operationId) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ScheduleTopics.SCHEDULE, settings.name());
        if (operationId != null) {
            properties.put(EventProperties.OPERATION_ID, operationId);
        }
        return properties;
    }

    private ScheduleStatus snapshot() {
        return new ScheduleStatus(settings.name(), settings.directory(), lastSuccess, lastAttempt, lastError, failures,
                nextRun);
    }

    private void warn(String format, Object... arguments) {
        Logger log = logger.get();
        if (log != null) {
            log.warn(format, arguments);
        }
    }

    private void info(String format, Object... arguments) {
        Logger log = logger.get();
        if (log != null) {
            log.info(format, arguments);
        }
    }
}
