package org.licensebackup.lms.server.internal;

import java.time.Instant;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.lms.RestoreFraudException;

/**
 * The per-license cryptography of a re-binding, in one place: open the content key with the
 * escrowed key of the device the license comes from, wrap it for the new device, sign the new
 * grant. Each content key costs an X25519 agreement to open and one to wrap today
 * ({@link ContentKeys#unwrap}, {@link ContentKeys#wrap}); the cached opener and the one-ephemeral
 * wrapper of {@code ContentKeys.opener}/{@code ContentKeys.wrapper} replace exactly these two calls.
 * Thread-safe.
 */
final class ContentKeyRebinder {

    private final RawKeyPair serverSigningKeys;

    ContentKeyRebinder(RawKeyPair serverSigningKeys) {
        this.serverSigningKeys = serverSigningKeys;
    }

    /**
     * {@code backedUp} re-bound to {@code newDeviceId}, signed by the server. The caller has checked
     * the issuer's signature: the server's signature never makes a forged grant genuine.
     *
     * @throws RestoreFraudException when the content key does not open with the escrowed key
     */
    License rebind(License backedUp, RawKeyPair originDeviceKeys, String newDeviceId, byte[] newDeviceAgreementKey, Instant now) {
        LicenseGrant grant = backedUp.grant();
        byte[] contentKey;
        try {
            contentKey = ContentKeys.unwrap(grant.wrappedContentKey(), grant.keyId().bytes(), grant.deviceId(), originDeviceKeys);
        } catch (CryptoException e) {
            throw new RestoreFraudException("the content key of license " + grant.keyId()
                    + " does not open with the escrowed key of device " + grant.deviceId(), e);
        }
        byte[] rewrapped = ContentKeys.wrap(contentKey, grant.keyId().bytes(), newDeviceId, newDeviceAgreementKey);
        java.util.Arrays.fill(contentKey, (byte) 0);
        LicenseGrant rebound = grant.reboundTo(newDeviceId, rewrapped, now);
        byte[] signature = Signatures.sign(serverSigningKeys, LicenseCodec.encodeGrant(rebound));
        return License.of(rebound, serverSigningKeys.publicKey(), signature, backedUp.usage());
    }
}
