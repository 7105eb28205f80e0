package org.licensebackup.lms.internal;

import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.lms.DeviceLimitException;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.RestoreSession;

/**
 * A restore session with the embedded service, under the settings it was opened with. Bindings are
 * recorded in an MVStore transaction, begun at the first re-binding, so a session that re-binds a
 * million licenses keeps none of them on the heap.
 */
final class EmbeddedRestoreSession implements RestoreSession {

    private final LmsState state;
    private final LmsSettings settings;
    private final String deviceId;
    private final byte[] deviceAgreementKey;
    private final Clock clock;
    private final String ownSigningKey;
    /** Private keys of the devices that backups come from: secrets held only while the session is open. */
    private final Map<String, RawKeyPair> escrowedDeviceKeys = new ConcurrentHashMap<>();
    private LmsState.PendingBindings pending;
    private volatile boolean closed;

    EmbeddedRestoreSession(LmsState state, LmsSettings settings, String deviceId, byte[] deviceAgreementKey, Clock clock) {
        this.state = state;
        this.settings = settings;
        this.deviceId = deviceId;
        this.deviceAgreementKey = deviceAgreementKey.clone();
        this.clock = clock;
        this.ownSigningKey = Base64.getEncoder().encodeToString(state.signingKeys().publicKey());
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        requireOpen();
        Objects.requireNonNull(context, "context");
        try {
            return FileKeyWrap.unwrap(wrappedFileKey, state.agreementKeys(), context);
        } catch (CryptoException e) {
            throw new RestoreFraudException("the backup was not made for this license management service", e);
        }
    }

    @Override
    public boolean trusts(byte[] signerKey) {
        requireOpen();
        return signerKey != null
                && (settings.trustsIssuer(signerKey) || ownSigningKey.equals(Base64.getEncoder().encodeToString(signerKey)));
    }

    @Override
    public void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow) {
        requireOpen();
        Objects.requireNonNull(sourceDeviceId, "sourceDeviceId");
        try {
            escrowedDeviceKeys.put(sourceDeviceId, DeviceKeyEscrow.unwrap(escrow, sourceDeviceId, state.agreementKeys()));
        } catch (CryptoException e) {
            throw new RestoreFraudException("the key escrow of device " + sourceDeviceId
                    + " was not made for this license management service", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A license to be re-signed must carry a valid signature of a key this service trusts: the
     * service's signature must never turn a forged grant into a genuine one.
     */
    @Override
    public License rebind(License backedUp) {
        requireOpen();
        LicenseGrant grant = Objects.requireNonNull(backedUp, "backedUp").grant();
        if (grant.deviceId().equals(deviceId)) {
            return backedUp;
        }
        if (!trusts(backedUp.signerKey())
                || !Signatures.verify(backedUp.signerKey(), backedUp.signedBytes(), backedUp.signature())) {
            throw new RestoreFraudException("license " + grant.keyId() + " is not signed by an issuer this service trusts");
        }
        byte[] contentKey = openContentKey(grant);
        recordBinding(grant.keyId(), grant.deviceId());
        LicenseGrant rebound = grant.reboundTo(deviceId,
                ContentKeys.wrap(contentKey, grant.keyId().bytes(), deviceId, deviceAgreementKey), clock.instant());
        byte[] signature = Signatures.sign(state.signingKeys(), LicenseCodec.encodeGrant(rebound));
        return License.of(rebound, state.signingKeys().publicKey(), signature, backedUp.usage());
    }

    private byte[] openContentKey(LicenseGrant grant) {
        RawKeyPair sourceDeviceKeys = escrowedDeviceKeys.get(grant.deviceId());
        if (sourceDeviceKeys == null) {
            throw new RestoreFraudException("license " + grant.keyId() + " is bound to device " + grant.deviceId()
                    + ", whose key was not escrowed in this session");
        }
        try {
            return ContentKeys.unwrap(grant.wrappedContentKey(), grant.keyId().bytes(), grant.deviceId(), sourceDeviceKeys);
        } catch (CryptoException e) {
            throw new RestoreFraudException("the content key of license " + grant.keyId()
                    + " does not open with the key of device " + grant.deviceId(), e);
        }
    }

    /** Binds {@code keyId} to this session's device, and to the device it comes from, within the limit. */
    private void recordBinding(KeyId keyId, String originDeviceId) {
        if (pending == null) {
            pending = state.begin();
        }
        pending.update(keyId, devices -> {
            // The same device again is free, even where a lowered limit is already exceeded.
            boolean alreadyHere = devices.contains(deviceId);
            int before = devices.size();
            devices.add(originDeviceId);
            devices.add(deviceId);
            if (!alreadyHere && devices.size() > settings.deviceLimit()) {
                throw new DeviceLimitException("license " + keyId + " is already on " + before
                        + " devices; at most " + settings.deviceLimit() + " are allowed");
            }
            return devices;
        });
    }

    @Override
    public void commit() {
        requireOpen();
        if (pending != null) {
            pending.commit();
            pending = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        escrowedDeviceKeys.clear();
        if (pending != null) {
            pending.discard();
            pending = null;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the restore session is closed");
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRestoreSession[device=" + deviceId + "]";
    }
}
