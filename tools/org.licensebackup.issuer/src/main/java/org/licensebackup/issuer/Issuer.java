package org.licensebackup.issuer;

import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.licensebackup.crypto.ContentKeyWrapper;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;

/**
 * A license server in miniature: an Ed25519 key pair under a name, issuing signed licenses bound to
 * a device. As a real license server does within a session, it wraps every content key it issues to
 * one device under one ephemeral key ({@link ContentKeyWrapper}), so a device's licenses from one
 * issuer cost one X25519 agreement to open or re-bind, not one each. It keeps one wrapper per device
 * it has issued to, a few hundred bytes each: it is a tool for tests, benchmarks and the demo, not a
 * server for millions of devices. Thread-safe.
 */
public final class Issuer {

    /** A device as licenses are bound to it: its ID and its X25519 public key. */
    private record Device(String deviceId, byte[] agreementKey) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Device that && deviceId.equals(that.deviceId) && Arrays.equals(agreementKey, that.agreementKey);
        }

        @Override
        public int hashCode() {
            return 31 * deviceId.hashCode() + Arrays.hashCode(agreementKey);
        }
    }

    private final String name;
    private final RawKeyPair signingKeys;
    private final Clock clock;
    private final ConcurrentMap<Device, ContentKeyWrapper> wrappers = new ConcurrentHashMap<>();

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
     * this issuer. Licenses issued to the same device and key share one ephemeral key.
     *
     * @param deviceAgreementKey the device's X25519 public key
     * @throws org.licensebackup.crypto.CryptoException when {@code deviceAgreementKey} is not a
     *     usable X25519 public key
     */
    public License issue(LicenseSpec spec, String deviceId, byte[] deviceAgreementKey) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceAgreementKey, "deviceAgreementKey");
        byte[] contentKey = spec.contentKey() != null
                ? spec.contentKey()
                : LicenseSpec.randomBytes(ContentKeys.CONTENT_KEY_LENGTH);
        byte[] wrappedContentKey = wrapperFor(deviceId, deviceAgreementKey).wrap(contentKey, spec.keyId().bytes());
        LicenseGrant grant = new LicenseGrant(spec.keyId(), name, spec.contentId(), spec.title(), spec.rights(),
                deviceId, wrappedContentKey, clock.instant());
        byte[] signature = Signatures.sign(signingKeys, LicenseCodec.encodeGrant(grant));
        return License.of(grant, signingKeys.publicKey(), signature, spec.usage());
    }

    private ContentKeyWrapper wrapperFor(String deviceId, byte[] deviceAgreementKey) {
        Device device = new Device(deviceId, deviceAgreementKey.clone());
        ContentKeyWrapper wrapper = wrappers.get(device);
        if (wrapper != null) {
            return wrapper;
        }
        // made outside the map's lock, which an X25519 agreement would hold far too long; a racing
        // thread's wrapper loses and its licenses keep an ephemeral key of their own, which is harmless
        ContentKeyWrapper made = ContentKeys.wrapper(deviceId, deviceAgreementKey);
        ContentKeyWrapper raced = wrappers.putIfAbsent(device, made);
        return raced != null ? raced : made;
    }

    @Override
    public String toString() {
        return "Issuer[" + name + "]";
    }
}
