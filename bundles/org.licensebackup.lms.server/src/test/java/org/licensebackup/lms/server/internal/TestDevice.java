package org.licensebackup.lms.server.internal;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;

/** A device with fresh keys, as the device bundle keeps them, for tests outside OSGi. */
final class TestDevice implements DeviceIdentity {

    private final RawKeyPair signing = Signatures.generate();
    private final RawKeyPair agreement = KeyAgreement.generate();
    private final String deviceId = DeviceIdentity.deviceIdOf(signing.publicKey(), agreement.publicKey());

    RawKeyPair agreementKeys() {
        return agreement;
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
    public String toString() {
        return "TestDevice[" + deviceId + "]";
    }
}
