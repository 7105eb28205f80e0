package org.licensebackup.device.internal;

import java.util.Objects;

import org.licensebackup.crypto.ContentKeyOpener;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;

/**
 * The key pairs of one device and the ID derived from their public keys; immutable, so a new
 * device is a new instance swapped in whole.
 */
final class DeviceKeys implements DeviceIdentity {

    private final RawKeyPair signingKeys;
    private final RawKeyPair agreementKeys;
    private final String deviceId;
    /** One for the device's life, so content keys that share an ephemeral key share its agreement. */
    private final ContentKeyOpener contentKeys;

    DeviceKeys(RawKeyPair signingKeys, RawKeyPair agreementKeys) {
        this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
        this.agreementKeys = Objects.requireNonNull(agreementKeys, "agreementKeys");
        this.deviceId = DeviceIdentity.deviceIdOf(signingKeys.publicKey(), agreementKeys.publicKey());
        this.contentKeys = ContentKeys.opener(agreementKeys, deviceId);
    }

    static DeviceKeys generate() {
        return new DeviceKeys(Signatures.generate(), KeyAgreement.generate());
    }

    /** The keys whose private halves are {@code signingPrivateKey} and {@code agreementPrivateKey}. */
    static DeviceKeys fromPrivateKeys(byte[] signingPrivateKey, byte[] agreementPrivateKey) {
        return new DeviceKeys(Signatures.fromPrivateKey(signingPrivateKey), KeyAgreement.fromPrivateKey(agreementPrivateKey));
    }

    byte[] signingPrivateKey() {
        return signingKeys.privateKey();
    }

    byte[] agreementPrivateKey() {
        return agreementKeys.privateKey();
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public byte[] agreementPublicKey() {
        return agreementKeys.publicKey();
    }

    @Override
    public byte[] signingPublicKey() {
        return signingKeys.publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
        return Signatures.sign(signingKeys, Objects.requireNonNull(message, "message"));
    }

    @Override
    public byte[] escrowAgreementKey(byte[] serviceKey) {
        return DeviceKeyEscrow.wrap(agreementKeys, deviceId, Objects.requireNonNull(serviceKey, "serviceKey"));
    }

    @Override
    public byte[] unwrapContentKey(byte[] wrappedContentKey, byte[] keyId) {
        Objects.requireNonNull(wrappedContentKey, "wrappedContentKey");
        Objects.requireNonNull(keyId, "keyId");
        return contentKeys.open(wrappedContentKey, keyId);
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        Objects.requireNonNull(context, "context");
        return FileKeyWrap.unwrap(wrappedFileKey, agreementKeys, context);
    }

    /** Leaves the private keys out. */
    @Override
    public String toString() {
        return "DeviceKeys[deviceId=" + deviceId + "]";
    }
}
