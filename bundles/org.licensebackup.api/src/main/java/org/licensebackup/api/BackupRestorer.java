package org.licensebackup.api;

import java.nio.file.Path;
import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Backs up the licenses of the license store bound now to a directory the user chose, and restores
 * them from such a directory, on this device or another one.
 *
 * <p>Every method returns at once with an {@link Operation}; the work runs on a thread of the
 * service's own, and its progress is posted to EventAdmin under {@link EventTopics}. One operation
 * runs at a time: starting another while one runs fails with {@link ErrorCode#BUSY}.
 */
@ProviderType
public interface BackupRestorer {

    /** The name of the backup file inside a backup directory. */
    String BACKUP_FILE_NAME = "licenses.lbk";

    /**
     * Starts a backup of every license that the rights policy lets go into {@code directory}.
     *
     * @param directory where the backup goes; created if missing; a network mount is fine
     * @param options overwrite or not
     * @return the running operation
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs,
     *     {@link ErrorCode#BAD_DATA} for a null argument
     */
    Operation backup(Path directory, BackupOptions options);

    /**
     * Starts a backup into the directory configured as the default
     * ({@code default.directory} of the configuration {@code org.licensebackup.restorer}).
     *
     * @throws BackupRestoreException {@link ErrorCode#NO_LOCATION} when none is configured
     */
    Operation backup(BackupOptions options);

    /**
     * Starts a restore of the backup in {@code directory} into the license store bound now, through
     * the license management service, which re-binds each license to this device.
     *
     * @param directory a directory holding a backup made here or on another device (its newest
     *     backup is taken, see {@link BackupCatalog}), or one backup file
     * @param options the host's consent to re-bind licenses made on another device
     * @return the running operation
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs,
     *     {@link ErrorCode#BAD_DATA} for a null argument
     */
    Operation restore(Path directory, RestoreOptions options);

    /** Starts a restore from the configured default directory. */
    Operation restore(RestoreOptions options);

    /**
     * Starts a check of the backup in {@code directory}: everything a restore would check (the
     * file's integrity and authenticity, through a session with the license management service;
     * every issuer's signature; every license's rights) without writing to the store or using any
     * device allowance. The report counts the licenses a restore would take ({@code succeeded}) and
     * those it would reject, by reason. For a backup from another device, the license management
     * service says where each license stands against its device limit now: those it would refuse count
     * as {@link Reason#DEVICE_LIMIT_REACHED}, and {@link Report#fewestDevicesLeft()} tells how many more
     * devices the most used of the others may still go to; another device restoring meanwhile can
     * change both.
     *
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs,
     *     {@link ErrorCode#BAD_DATA} for a null argument
     */
    Operation verify(Path directory);

    /**
     * Starts giving licenses back, as a user does before selling a device: the license management
     * service stops counting this device for each of them, so another device may have it, and the
     * licenses are deleted from the store. All or nothing: when the service cannot be reached, the
     * store keeps them. Key IDs the store does not hold are given back too (a release that failed
     * half-way can be run again).
     *
     * @param keyIds key IDs, base64 as {@link LicenseOutcome#keyId()} shows them
     * @return the running operation; its report counts the licenses deleted here as {@code succeeded}
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs,
     *     {@link ErrorCode#BAD_DATA} for a null or empty argument or a malformed key ID
     */
    Operation release(Collection<String> keyIds);
}
