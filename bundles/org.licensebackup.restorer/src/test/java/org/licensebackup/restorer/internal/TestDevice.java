package org.licensebackup.restorer.internal;


import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;

/** A device with keys in memory, as the device bundle keeps them in a file. */
final class TestDevice implements DeviceIdentity {

    private final RawKeyPair signing = Signatures.generate();
    private final RawKeyPair agreement = KeyAgreement.generate();
    private final String deviceId;

    TestDevice() {
        deviceId = DeviceIdentity.deviceIdOf(signing.publicKey(), agreement.publicKey());
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public byte[] agreementPublicKey() {
        return agreement.publicKey();
    }

    @Override
    public byte[] signingPublicKey() {
        return signing.publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
        return Signatures.sign(signing, message);
    }

    @Override
    public byte[] escrowAgreementKey(byte[] serviceKey) {
        return DeviceKeyEscrow.wrap(agreement, deviceId, serviceKey);
    }

    @Override
    public byte[] unwrapContentKey(byte[] wrappedContentKey, byte[] keyId) {
        return ContentKeys.unwrap(wrappedContentKey, keyId, deviceId, agreement);
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        return FileKeyWrap.unwrap(wrappedFileKey, agreement, context);
    }

    /** The key pair, for a fake service that opens this device's escrow. */
    RawKeyPair agreementKeys() {
        return agreement;
    }

    @Override
    public String toString() {
        return "TestDevice[" + deviceId + "]";
    }
}
