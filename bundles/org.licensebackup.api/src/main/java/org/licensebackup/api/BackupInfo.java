package org.licensebackup.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One backup in a directory, as {@link BackupCatalog#list} finds it. Since API 1.3.
 *
 * @param file the backup file; pass it to {@link BackupRestorer#restore(Path, RestoreOptions)} or
 *     {@link BackupRestorer#verify(Path)} to take this one rather than the directory's newest
 * @param createdAt when it was made, as its (signed) header says; {@link Instant#EPOCH} when unreadable
 * @param deviceId the device that made it; empty when unreadable
 * @param licenseCount the licenses it holds; -1 when unreadable
 * @param bytes its size
 * @param state whether it was verified
 */
public record BackupInfo(Path file, Instant createdAt, String deviceId, long licenseCount, long bytes, BackupState state) {

    public BackupInfo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
    }

    /** The file's name in its directory. */
    public String name() {
        return file.getFileName().toString();
    }

    /** Whether a restore may take it: readable, and not failed by a verify. */
    public boolean good() {
        return state == BackupState.VERIFIED || state == BackupState.NOT_VERIFIED;
    }
}
