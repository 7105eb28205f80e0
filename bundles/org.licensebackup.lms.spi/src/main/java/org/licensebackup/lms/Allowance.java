package org.licensebackup.lms;

import java.util.Objects;

import org.licensebackup.license.KeyId;

/**
 * Where a license stands against its device limit, as seen by one device before it restores it.
 *
 * @param keyId the license
 * @param devicesUsed how many unique devices the license is re-bound to; the device its issuer bound
 *     it to, where it was backed up, is not one of them (as Windows Media DRM allowed restores to up
 *     to 4 unique computers besides the one the license came from)
 * @param deviceLimit how many unique devices the service allows a license to be re-bound to
 * @param onThisDevice whether the asking device is one of them or the one the license is bound to,
 *     so that restoring there is free
 */
public record Allowance(KeyId keyId, int devicesUsed, int deviceLimit, boolean onThisDevice) {

    public Allowance {
        Objects.requireNonNull(keyId, "keyId");
        if (devicesUsed < 0 || deviceLimit < 1) {
            throw new IllegalArgumentException("devicesUsed " + devicesUsed + " and deviceLimit " + deviceLimit
                    + " must be at least 0 and 1");
        }
    }

    /** How many more new devices may have the license. */
    public int remaining() {
        return Math.max(0, deviceLimit - devicesUsed);
    }

    /** Whether a restore on the asking device would be allowed now. */
    public boolean allowsThisDevice() {
        return onThisDevice || devicesUsed < deviceLimit;
    }
}
