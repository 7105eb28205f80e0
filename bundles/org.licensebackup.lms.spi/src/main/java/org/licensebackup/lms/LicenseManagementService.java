package org.licensebackup.lms;

import java.util.Collection;
import java.util.Set;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The license management service: backups are wrapped for its key, so it can open a backup made on
 * one device for another, and it allows each license to be re-bound to a limited number of unique
 * devices, not counting the one its issuer bound it to; restoring to a device that already holds the
 * license is free. Every call is made on behalf of a device, which
 * the service authenticates by the device's own signing key.
 */
@ConsumerType
public interface LicenseManagementService {

    /**
     * The service's public keys, which a backup carries: the one its file key is wrapped for and the
     * one that signs the service's answers and re-bound licenses.
     *
     * @throws LmsUnavailableException when the keys are neither known yet nor can be fetched
     */
    ServiceKeys keys();

    /**
     * Opens a session for {@code device} to restore or verify a backup.
     *
     * @throws LmsUnavailableException when the service cannot be reached or refuses sessions
     */
    RestoreSession connect(DeviceIdentity device);

    /**
     * Gives licenses back: the service no longer counts {@code device} among the devices of each
     * license, freeing its slot for another device. The caller deletes from its store those this
     * returns, and only those: a license the service did not count for the device frees no slot, so
     * deleting it would only lose it. Key IDs the service does not count for the device are ignored.
     *
     * @return the key IDs of the licenses the service counted for the device and has now released
     * @throws LmsUnavailableException when the service cannot be reached
     */
    Set<KeyId> release(DeviceIdentity device, Collection<KeyId> keyIds);
}
