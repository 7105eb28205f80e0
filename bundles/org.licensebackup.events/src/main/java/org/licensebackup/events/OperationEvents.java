package org.licensebackup.events;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationStatus;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The events of one operation, posted to EventAdmin asynchronously in the order called, each with
 * the operation's ID and the next sequence number. A missing, slow or failing EventAdmin or handler
 * never fails or stalls the caller. Used from one thread.
 *
 * <p>This bundle implements it (a caller gets one from {@link OperationEventsFactory}); callers only
 * call it, so a method added here is a minor change for them.
 */
@ProviderType
public interface OperationEvents {

    /** {@code restore/CONNECTING} or {@code verify/CONNECTING}. */
    void connecting();

    /** {@code BEGIN} of the operation's kind; {@code location} is the backup file, or null for a release. */
    void begin(Path location, long total);

    /**
     * {@code PROGRESS}, unless one was posted less than the configured interval ago; the caller
     * calls it for every license and the rate limit decides.
     *
     * @param currentKeyId the key ID being handled, asked for only when an event is posted (it may be null)
     */
    void progress(long done, long total, long bytes, Supplier<String> currentKeyId);

    /** {@code backup/RESTRICTED_LICENSE}, {@code restore/REJECTED_LICENSE} or {@code verify/REJECTED_LICENSE}. */
    void leftOut(LicenseOutcome outcome);

    /** {@code restore/DISCONNECTING} or {@code verify/DISCONNECTING}. */
    void disconnecting();

    /**
     * {@code END}, preceded by a last {@code PROGRESS} if progress was held back since the last one.
     *
     * @param error null when {@code status} is COMPLETED
     */
    void end(OperationStatus status, ErrorCode error, String message, long done, long total, long bytes,
            long succeeded, long leftOut);
}
