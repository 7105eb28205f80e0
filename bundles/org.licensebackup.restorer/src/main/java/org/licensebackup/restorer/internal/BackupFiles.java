package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupFormatException;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;

/**
 * The backups of a directory: the single {@link BackupRestorer#BACKUP_FILE_NAME} of API 1.2 and
 * before, and the backups named by their time ({@code licenses-20261130T013000123Z.lbk}, UTC, so
 * that names sort by time). What a verify found comes from {@link VerifyRecords}.
 */
final class BackupFiles {

    static final String PREFIX = "licenses-";
    static final String SUFFIX = ".lbk";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Comparator<Dated> NEWEST_FIRST = Comparator.comparing(Dated::createdAt)
            .thenComparing(dated -> dated.file().getFileName().toString()).reversed();

    /** A backup file and the time its header gives. */
    private record Dated(Path file, Instant createdAt) {
    }

    private BackupFiles() {
    }

    /** The name of a backup made at {@code createdAt}, beside others. */
    static String timestampedName(Instant createdAt) {
        return PREFIX + NAME_TIME.format(createdAt) + SUFFIX;
    }

    /** Whether {@code name} is a backup's: the single one, or one named by its time. */
    static boolean isBackupName(String name) {
        return name.equals(BackupRestorer.BACKUP_FILE_NAME) || isTimestampedName(name);
    }

    /** Whether {@code name} is that of a backup named by its time. */
    static boolean isTimestampedName(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return false;
        }
        String time = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        try {
            NAME_TIME.parse(time);
            return true;
        } catch (RuntimeException notATime) {
            return false;
        }
    }

    /**
     * The backup a restore or verify of {@code location} reads: the file itself when it is one, else
     * the directory's newest by the time in its header (one whose header does not read counts as
     * older than all others, so that it is taken only when there is nothing else, and then fails as
     * damaged). Only headers are read: the newest is found without opening any backup's content.
     *
     * @throws BackupRestoreException {@link ErrorCode#NO_BACKUP} when there is none
     */
    static Path toRead(Path location) throws IOException {
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path newest = null;
        Instant newestTime = null;
        for (Path file : backupsIn(location)) {
            Optional<Instant> time = createdAt(file);
            if (time.isEmpty()) {
                continue;
            }
            if (newest == null || NEWEST_FIRST.compare(new Dated(file, time.get()), new Dated(newest, newestTime)) < 0) {
                newest = file;
                newestTime = time.get();
            }
        }
        if (newest == null) {
            throw new BackupRestoreException(ErrorCode.NO_BACKUP, "no backup in " + location);
        }
        return newest;
    }

    /**
     * The backups in {@code directory}, newest first; empty when it does not exist.
     *
     * @param verified what verifies found; null: every readable backup counts as not verified
     */
    static List<BackupInfo> list(Path directory, DeviceIdentity device, VerifyRecords verified) throws IOException {
        List<BackupInfo> backups = new ArrayList<>();
        VerifyRecords.Found found = verified == null ? null : verified.found();
        for (Path file : backupsIn(directory)) {
            try {
                backups.add(describe(file, device, found));
            } catch (NoSuchFileException deletedMeanwhile) {
                // retention or a user deleted it since the directory was read: not a backup any more
            }
        }
        backups.sort(Comparator.comparing((BackupInfo backup) -> new Dated(backup.file(), backup.createdAt()), NEWEST_FIRST));
        return backups;
    }

    /** The files of {@code directory} named as backups; none when it does not exist. */
    private static List<Path> backupsIn(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> isBackupName(entry.getFileName().toString()) && Files.isRegularFile(entry))) {
            entries.forEach(files::add);
        } catch (NoSuchFileException | NotDirectoryException none) {
            return List.of();
        }
        return files;
    }

    /**
     * The time in {@code file}'s header: {@link Instant#EPOCH} when the header does not read (older
     * than every other backup); empty when the file went since the directory was read.
     */
    private static Optional<Instant> createdAt(Path file) throws IOException {
        try (BackupReader reader = BackupReader.open(file)) {
            return Optional.of(reader.header().createdAt());
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (BackupFormatException | RuntimeException unreadable) {
            return Optional.of(Instant.EPOCH);
        }
    }

    private static BackupInfo describe(Path file, DeviceIdentity device, VerifyRecords.Found verified) throws IOException {
        long bytes = Files.size(file);
        try (BackupReader reader = BackupReader.open(file)) {
            BackupHeader header = reader.header();
            long count = -1;
            if (OwnBackups.madeBy(device, header)) {
                reader.openAsDevice(device::unwrapFileKey);
                count = reader.recordCount();
            }
            BackupState state = verified == null ? BackupState.NOT_VERIFIED : verified.stateOf(file);
            return new BackupInfo(file, header.createdAt(), header.deviceId(), count, bytes, state);
        } catch (IOException | RuntimeException unreadable) {
            if (unreadable instanceof IOException io && !(io instanceof BackupFormatException)) {
                throw io;
            }
            return new BackupInfo(file, Instant.EPOCH, "", -1, bytes, BackupState.UNREADABLE);
        }
    }
}
