package org.licensebackup.issuer;

import java.time.Clock;
import java.util.Objects;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;

/**
 * A license server in miniature: an Ed25519 key pair under a name, issuing signed licenses bound to
 * a device. Thread-safe.
 */
public final class Issuer {

    private final String name;
    private final RawKeyPair signingKeys;
    private final Clock clock;

    private Issuer(String name, RawKeyPair signingKeys) {
        this.name = Objects.requireNonNull(name, "name");
        this.signingKeys = signingKeys;
        this.clock = Clock.systemUTC();
    }

    /** An issuer with a new Ed25519 key pair. */
    public static Issuer generate(String name) {
        return new Issuer(name, Signatures.generate());
    }

    /** The issuer that holds {@code ed25519PrivateKey} (32 bytes). */
    public static Issuer fromPrivateKey(String name, byte[] ed25519PrivateKey) {
        Objects.requireNonNull(ed25519PrivateKey, "ed25519PrivateKey");
        if (ed25519PrivateKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, not " + ed25519PrivateKey.length);
        }
        return new Issuer(name, Signatures.fromPrivateKey(ed25519PrivateKey));
    }

    public String name() {
        return name;
    }

    /** The Ed25519 public key that a license management service must trust to accept this issuer's licenses. */
    public byte[] publicKey() {
        return signingKeys.publicKey();
    }

    /**
     * A license as {@code spec} describes it, its content key wrapped for {@code deviceId}, signed by
     * this issuer.
     *
     * @param deviceAgreementKey the device's X25519 public key
     */
    public License issue(LicenseSpec spec, String deviceId, byte[] deviceAgreementKey) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceAgreementKey, "deviceAgreementKey");
        byte[] contentKey = spec.contentKey() != null
                ? spec.contentKey()
                : LicenseSpec.randomBytes(ContentKeys.CONTENT_KEY_LENGTH);
        byte[] wrappedContentKey = ContentKeys.wrap(contentKey, spec.keyId().bytes(), deviceId, deviceAgreementKey);
        LicenseGrant grant = new LicenseGrant(spec.keyId(), name, spec.contentId(), spec.title(), spec.rights(),
                deviceId, wrappedContentKey, clock.instant());
        byte[] signature = Signatures.sign(signingKeys, LicenseCodec.encodeGrant(grant));
        return License.of(grant, signingKeys.publicKey(), signature, spec.usage());
    }

    @Override
    public String toString() {
        return "Issuer[" + name + "]";
    }
}
