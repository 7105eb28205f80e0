package org.licensebackup.events;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Report;
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
     * {@code PROGRESS}, when the progress rule says one is due: each time {@code done} reaches
     * another step of {@code total} (1 % by default), and besides whenever the configured interval has
     * passed since the last one; the caller calls it for every license and the rule decides.
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
     * Carries every count of {@code counts}: considered (as {@code done}), succeeded, unchanged, left
     * out in all and by reason, not listed, bytes, the source device, the devices left, the time.
     *
     * @param error null when {@code status} is COMPLETED
     * @param total the licenses in all, as {@code BEGIN} said
     * @param counts what the operation did, complete or as far as it got
     */
    void end(OperationStatus status, ErrorCode error, String message, long total, Report counts);
}
