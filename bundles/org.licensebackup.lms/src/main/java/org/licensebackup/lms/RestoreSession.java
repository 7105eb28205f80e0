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
     * Re-binds a backed-up license to the session's device: a new grant with the content key
     * wrapped for it, signed by this service, keeping the license's record of use. A license already
     * bound to the device comes back as it is.
     *
     * @param contentKey the license's content key, as the backup carries it
     * @throws DeviceLimitException when the license is already on as many devices as allowed
     */
    License rebind(License backedUp, byte[] contentKey);

    /** Makes this session's re-bindings count against the licenses' allowances. */
    void commit();

    /** Ends the session; without {@link #commit()} nothing counts. */
    @Override
    void close();
}
