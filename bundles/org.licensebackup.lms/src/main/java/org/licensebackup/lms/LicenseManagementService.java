package org.licensebackup.lms;

import org.licensebackup.license.KeyId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The license management service: backups are encrypted for its key, and only a restore session
 * with it can open them. It allows each license on a limited number of unique devices; restoring to
 * a device it already holds the license for again is free.
 */
@ConsumerType
public interface LicenseManagementService {

    /** The X25519 public key that backups' file keys are wrapped for. */
    byte[] backupRecipientKey();

    /** How many more new devices {@code keyId} may be restored to; the same device again is always free. */
    int remainingAllowance(KeyId keyId, String deviceId);

    /**
     * Opens a session to restore onto a device.
     *
     * @param deviceId the restoring device
     * @param deviceAgreementKey that device's X25519 public key, which re-bound content keys are wrapped for
     * @throws LmsUnavailableException when the service cannot be reached or refuses sessions
     */
    RestoreSession connect(String deviceId, byte[] deviceAgreementKey);
}
