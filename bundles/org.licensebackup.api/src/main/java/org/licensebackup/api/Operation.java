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
     *
     * <p>The promise is settled before the operation's {@code END} event is posted: a handler that
     * gets {@code END} finds {@code result().isDone()} true and may read the report at once, without
     * blocking. The reverse does not hold: EventAdmin delivers events asynchronously, so a callback on
     * the promise may run before handlers got {@code END} (or the last {@code PROGRESS}); never wait
     * for an event inside such a callback. The service is free for the next operation by then too.
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
