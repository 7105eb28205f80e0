package org.licensebackup.lms.server.internal;

import java.time.Instant;
import java.util.Arrays;

import org.licensebackup.crypto.ContentKeyOpener;
import org.licensebackup.crypto.ContentKeyWrapper;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.lms.RestoreFraudException;

/**
 * The per-license cryptography of a re-binding, in one place: open the content key with the
 * session's opener for the device the license comes from, wrap it with the session's wrapper for
 * the new device, sign the new grant. The opener remembers the shared secret of each ephemeral key
 * it met and the wrapper agreed on its one ephemeral key when it was made, so a license costs no
 * X25519 agreement here (a version 1 wrapped content key still costs one to open), only HKDF,
 * AES-GCM and the Ed25519 signature. Thread-safe.
 */
final class ContentKeyRebinder {

    private final RawKeyPair serverSigningKeys;

    ContentKeyRebinder(RawKeyPair serverSigningKeys) {
        this.serverSigningKeys = serverSigningKeys;
    }

    /**
     * {@code backedUp} re-bound to the device of {@code newDevice}, signed by the server. The caller
     * has checked the issuer's signature: the server's signature never makes a forged grant genuine.
     *
     * @param origin the opener of the device {@code backedUp} is bound to
     * @throws IllegalArgumentException when {@code origin} opens another device's keys: a fault of the caller
     * @throws RestoreFraudException when the content key does not open with the escrowed key
     */
    License rebind(License backedUp, ContentKeyOpener origin, ContentKeyWrapper newDevice, Instant now) {
        LicenseGrant grant = backedUp.grant();
        if (!origin.deviceId().equals(grant.deviceId())) {
            throw new IllegalArgumentException("license " + grant.keyId() + " is bound to device " + grant.deviceId()
                    + ", not to " + origin.deviceId() + " whose opener was given");
        }
        byte[] contentKey;
        try {
            contentKey = origin.open(grant.wrappedContentKey(), grant.keyId().bytes());
        } catch (CryptoException e) {
            throw new RestoreFraudException("the content key of license " + grant.keyId()
                    + " does not open with the escrowed key of device " + grant.deviceId(), e);
        }
        byte[] rewrapped;
        try {
            // both wire forms hold exactly a 16-byte content key, the one length the wrapper takes
            rewrapped = newDevice.wrap(contentKey, grant.keyId().bytes());
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
        LicenseGrant rebound = grant.reboundTo(newDevice.deviceId(), rewrapped, now);
        byte[] signature = Signatures.sign(serverSigningKeys, LicenseCodec.encodeGrant(rebound));
        return License.of(rebound, serverSigningKeys.publicKey(), signature, backedUp.usage());
    }
}
