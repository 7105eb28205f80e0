package org.licensebackup.lms;

import java.util.List;

import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One restore's (or verify's) session with the license management service, for one device.
 * Re-bindings count against the licenses' allowances only at {@link #commit()}: a restore that fails
 * or is cancelled uses none, on the service as well. Sessions are used by one thread at a time,
 * except {@link #trusts(byte[])}, which is thread-safe, and {@link #rebind(List)}, which up to
 * {@link #concurrentRebinds()} threads may call at once.
 */
@ConsumerType
public interface RestoreSession extends AutoCloseable {

    /** The service's keys, as authenticated when the session opened. */
    ServiceKeys serviceKeys();

    /**
     * Unwraps a backup's file key that was wrapped for the service, and hands it to the session's
     * device only.
     *
     * @throws RestoreFraudException when the key was not wrapped for this service
     * @throws LmsUnavailableException when the service cannot be reached
     */
    byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context);

    /** Whether licenses signed by this Ed25519 key are genuine: a trusted issuer's, or the service's own. */
    boolean trusts(byte[] signerKey);

    /**
     * Hands the service the backing-up device's escrowed key-agreement key (from the backup's header),
     * which lets it open the content keys of licenses bound to that device. Needed before
     * {@link #rebind(List)} for a backup that comes from another device.
     *
     * @throws RestoreFraudException when the escrow was not made for this service and that device
     * @throws LmsUnavailableException when the service cannot be reached
     */
    void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow);

    /**
     * Where each license stands against its device limit for the session's device, counting the
     * devices each license is re-bound to (not the one its issuer bound it to); this reserves nothing.
     *
     * @return one allowance per license, in the order given
     * @throws LmsUnavailableException when the service cannot be reached
     */
    List<Allowance> allowances(List<License> licenses);

    /**
     * Re-binds a batch of backed-up licenses to the session's device, each within its device limit;
     * the slots they take are held for this session until it commits or ends.
     *
     * @return one answer per license, in the order given
     * @throws RestoreFraudException when a license is bound to a device whose key was not escrowed in
     *     this session, or its content key does not open: the backup is not genuine
     * @throws LmsUnavailableException when the service cannot be reached or its answer is not genuine
     */
    List<Rebinding> rebind(List<License> backedUp);

    /**
     * How many calls of {@link #rebind(List)} the session takes at once, from as many threads, while
     * no other method but {@link #trusts(byte[])} is called: a caller that hands over the next batch
     * while the service works on one keeps both sides busy. One unless the implementation says more.
     */
    default int concurrentRebinds() {
        return 1;
    }

    /**
     * Makes this session's re-bindings count against the licenses' allowances, durably.
     *
     * @throws LmsUnavailableException when the service cannot be reached; then nothing counts
     */
    void commit();

    /** Ends the session; without {@link #commit()} nothing counts. */
    @Override
    void close();
}
