package org.licensebackup.lms;

import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One restore's session with the license management service. Re-bindings take effect against the
 * device allowance only at {@link #commit()}: a restore that fails or is cancelled uses none.
 * Sessions are used by one thread, except {@link #trusts(byte[])}, which is thread-safe.
 */
@ConsumerType
public interface RestoreSession extends AutoCloseable {

    /**
     * Unwraps a backup's file key, which only this service can do.
     *
     * @throws RestoreFraudException when the key was not wrapped for this service
     */
    byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context);

    /** Whether licenses signed by this Ed25519 key are genuine: a trusted issuer's, or this service's own. */
    boolean trusts(byte[] signerKey);

    /**
     * Accepts the backing-up device's escrowed key-agreement key (made with
     * {@link org.licensebackup.crypto.DeviceKeyEscrow#wrap} for this service), which lets
     * {@link #rebind(License)} open that device's content keys. Needed only when the backup comes
     * from another device.
     *
     * @throws RestoreFraudException when the escrow was not made for this service and that device
     */
    void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow);

    /**
     * Re-binds a backed-up license to the session's device: a new grant with the content key
     * (opened with the escrowed key of the device it was bound to) wrapped for the session's device,
     * signed by this service, keeping the license's record of use. A license already bound to the
     * session's device comes back as it is and counts nothing.
     *
     * @throws DeviceLimitException when the license is already on as many devices as allowed
     * @throws RestoreFraudException when the license is bound to a device whose key was not escrowed
     *     in this session, or its content key does not open
     */
    License rebind(License backedUp);

    /** Makes this session's re-bindings count against the licenses' allowances. */
    void commit();

    /** Ends the session; without {@link #commit()} nothing counts. */
    @Override
    void close();
}
