package org.licensebackup.api;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.util.promise.Promise;

/**
 * A running backup or restore: the handle that {@link BackupRestorer} returns at once.
 */
@ProviderType
public interface Operation {

    /** The ID that every event of this operation carries as {@link EventProperties#OPERATION_ID}. */
    String id();

    OperationKind kind();

    /**
     * Resolves with the final report when the operation completes; fails with a
     * {@link BackupRestoreException} whose {@link ErrorCode} says why when it fails or is cancelled
     * ({@link ErrorCode#CANCELLED}).
     */
    Promise<Report> result();

    /**
     * Asks the operation to stop soon. A cancelled backup leaves no partial backup and the previous
     * one intact; a cancelled restore leaves the store as it was.
     *
     * @return false when the operation had already ended
     */
    boolean cancel();
}
