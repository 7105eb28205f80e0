package org.licensebackup.schedule.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

/**
 * A BackupRestorer and BackupCatalog that keep their backups in memory, made at the ticker's time,
 * and fail when told to: what a schedule sees of the real ones, without files or licenses.
 */
final class FakeBackups implements BackupRestorer, BackupCatalog {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final FakeTicker ticker;
    private final PromiseFactory promises = new PromiseFactory(PromiseFactory.inlineExecutor());
    final Map<Path, BackupInfo> backups = new TreeMap<>();
    /** Backups asked for, failed or not. */
    final List<Instant> attempts = new ArrayList<>();
    /** The next this many backups fail with IO_ERROR. */
    int failNext;
    /** Backups made from now on are unreadable. */
    boolean writeUnreadable;
    /** Listing fails, as on a network mount that went away. */
    boolean listFails;
    /** Deletes are refused as BUSY, as while an operation runs. */
    boolean busy;

    FakeBackups(FakeTicker ticker) {
        this.ticker = ticker;
    }

    /** A backup made by someone else (a user, another schedule) at {@code createdAt}. */
    Path addOthers(Path directory, Instant createdAt) {
        Path file = directory.resolve("licenses-" + NAME_TIME.format(createdAt) + ".lbk");
        backups.put(file, new BackupInfo(file, createdAt, "device-1", 3, 100, BackupState.NOT_VERIFIED));
        return file;
    }

    List<Instant> times() {
        return backups.values().stream().map(BackupInfo::createdAt).sorted().toList();
    }

    @Override
    public Operation backup(Path directory, BackupOptions options) {
        Instant now = ticker.now();
        attempts.add(now);
        if (!options.timestamped()) {
            throw new AssertionError("a schedule adds backups beside the others");
        }
        if (failNext > 0) {
            failNext--;
            return operation(promises.failed(new BackupRestoreException(ErrorCode.IO_ERROR, "the disk is full")));
        }
        Path file = directory.resolve("licenses-" + NAME_TIME.format(now) + ".lbk");
        backups.put(file, new BackupInfo(file, now, "device-1", writeUnreadable ? -1 : 3, 100,
                writeUnreadable ? BackupState.UNREADABLE : BackupState.NOT_VERIFIED));
        return operation(promises.resolved(new Report("op", OperationKind.BACKUP, file, 3, 3, 0, Map.of(), List.of(), 0, 100,
                "device-1", Duration.ZERO)));
    }

    @Override
    public List<BackupInfo> list(Path directory) {
        if (listFails) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot list " + directory);
        }
        return backups.values().stream().filter(backup -> backup.file().getParent().equals(directory))
                .sorted(Comparator.comparing(BackupInfo::createdAt).reversed()).toList();
    }

    @Override
    public void delete(Path backup) {
        if (busy) {
            throw new BackupRestoreException(ErrorCode.BUSY, "an operation is running");
        }
        if (backups.remove(backup) == null) {
            throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup at " + backup);
        }
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

    @Override
    public Operation backup(BackupOptions options) {
        throw new UnsupportedOperationException("a schedule names its directory");
    }

    @Override
    public Operation restore(Path directory, RestoreOptions options) {
        throw new UnsupportedOperationException("a schedule only backs up");
    }

    @Override
    public Operation restore(RestoreOptions options) {
        throw new UnsupportedOperationException("a schedule only backs up");
    }

    @Override
    public Operation verify(Path directory) {
        throw new UnsupportedOperationException("a schedule only backs up");
    }

    @Override
    public Operation release(Collection<String> keyIds) {
        throw new UnsupportedOperationException("a schedule only backs up");
    }

    @Override
    public Operation backupBeforeChange() {
        throw new UnsupportedOperationException("a schedule only backs up");
    }

    @Override
    public Path safetyDirectory() {
        throw new UnsupportedOperationException("a schedule only backs up");
    }
}
