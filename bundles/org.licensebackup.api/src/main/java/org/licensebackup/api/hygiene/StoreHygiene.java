package org.licensebackup.api.hygiene;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Store hygiene, as Windows Media DRM's {@code CleanLicenseStore}: removes from the license store
 * the licenses that can never be used again. Offered as a service by the bundle that offers
 * {@link BackupRestorer}, and one operation like theirs (one at a time). Since API 1.3.
 *
 * <p>The rights policy decides, license by license: a license whose expiry date has passed
 * ({@link Reason#EXPIRED}), and one bound to another device, whose content key this device can never
 * open ({@link Reason#BOUND_TO_ANOTHER_DEVICE}: only a restore of that device's own backup could
 * re-bind it, and that takes the backup's copy, not this one). A license whose state of use is what
 * keeps a restore from giving back used rights (plays, copies, a first-use clock) is never removed,
 * even when used up: without it, a restore of an older backup would bring those rights back.
 */
@ProviderType
public interface StoreHygiene {

    /**
     * Starts removing the licenses that can never be used again. Each one removed is posted as
     * {@link HygieneTopics#CLEAN_REMOVED_LICENSE} with its key ID, title and reason, and listed in
     * the report's {@link Report#leftOut()} (by reason in {@link Report#leftOutByReason()}); the
     * report's {@code succeeded} counts the licenses removed, {@code considered} those looked at.
     *
     * @throws BackupRestoreException {@link ErrorCode#BUSY} when another operation runs
     */
    Operation clean();
}
