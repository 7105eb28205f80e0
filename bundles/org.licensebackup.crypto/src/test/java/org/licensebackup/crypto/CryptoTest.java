package org.licensebackup.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CryptoTest {

    private static final byte[] MESSAGE = "a grant".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureVerifiesUnderItsKeyOnly() {
        RawKeyPair signer = Signatures.generate();
        byte[] signature = Signatures.sign(signer, MESSAGE);
        assertTrue(Signatures.verify(signer.publicKey(), MESSAGE, signature));
        assertFalse(Signatures.verify(Signatures.generate().publicKey(), MESSAGE, signature));
        assertFalse(Signatures.verify(signer.publicKey(), "another".getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    void rfc8032TestVectorOneVerifiesAndAnAlteredMessageDoesNot() {
        java.util.HexFormat hex = java.util.HexFormat.of();
        byte[] publicKey = hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] signature = hex.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

        assertTrue(Signatures.verify(publicKey, new byte[0], signature));
        assertTrue(Signatures.verify(publicKey, new byte[0], signature), "the second time, with the key's point decoded already");
        assertFalse(Signatures.verify(publicKey, new byte[] {0}, signature));
    }

    @Test
    void everyKeyVerifiesItsOwnSignaturesOnlyHoweverManyKeysCameBefore() {
        // more keys than verification keeps decoded: each still checks as the first time
        java.util.List<RawKeyPair> keys = java.util.stream.Stream.generate(Signatures::generate).limit(300).toList();
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < keys.size(); i++) {
                byte[] signature = Signatures.sign(keys.get(i), message);
                assertTrue(Signatures.verify(keys.get(i).publicKey(), message, signature), "key " + i);
                assertFalse(Signatures.verify(keys.get((i + 1) % keys.size()).publicKey(), message, signature), "key " + (i + 1));
            }
        }
    }

    @Test
    void aKeyChangedAfterItVerifiedIsDecodedAnew() {
        RawKeyPair signer = Signatures.generate();
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Signatures.sign(signer, message);
        byte[] key = signer.publicKey().clone();
        assertTrue(Signatures.verify(key, message, signature));

        System.arraycopy(Signatures.generate().publicKey(), 0, key, 0, key.length);

        assertFalse(Signatures.verify(key, message, signature));
    }

    @Test
    void malformedSignaturesAndKeysDoNotVerify() {
        RawKeyPair signer = Signatures.generate();
        assertFalse(Signatures.verify(signer.publicKey(), MESSAGE, new byte[63]));
        assertFalse(Signatures.verify(new byte[31], MESSAGE, new byte[64]));
        assertFalse(Signatures.verify(null, MESSAGE, new byte[64]));
    }

    @Test
    void aWrappedKeyOpensForItsRecipientAndContextOnly() {
        RawKeyPair recipient = KeyAgreement.generate();
        byte[] secret = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] context = "ctx".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = KeyWrap.wrap(secret, recipient.publicKey(), context);
        assertArrayEquals(secret, KeyWrap.unwrap(wrapped, recipient, context));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(wrapped, KeyAgreement.generate(), context));
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(wrapped, recipient, "other".getBytes(StandardCharsets.US_ASCII)));
        wrapped[wrapped.length - 1] ^= 1;
        assertThrows(CryptoException.class, () -> KeyWrap.unwrap(wrapped, recipient, context));
    }

    @Test
    void aContentKeyIsBoundToOneLicenseOnOneDevice() {
        RawKeyPair device = KeyAgreement.generate();
        byte[] contentKey = new byte[ContentKeys.CONTENT_KEY_LENGTH];
        byte[] keyId = new byte[16];
        byte[] wrapped = ContentKeys.wrap(contentKey, keyId, "device-a", device.publicKey());
        assertArrayEquals(contentKey, ContentKeys.unwrap(wrapped, keyId, "device-a", device));
        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(wrapped, keyId, "device-b", device));
        byte[] otherKeyId = new byte[16];
        otherKeyId[0] = 1;
        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(wrapped, otherKeyId, "device-a", device));
    }

    @Test
    void anEscrowedDeviceKeyOpensOnlyForTheServiceAndThatDevice() {
        RawKeyPair device = KeyAgreement.generate();
        RawKeyPair service = KeyAgreement.generate();
        byte[] escrow = DeviceKeyEscrow.wrap(device, "device-a", service.publicKey());
        assertArrayEquals(device.privateKey(), DeviceKeyEscrow.unwrap(escrow, "device-a", service).privateKey());
        assertThrows(CryptoException.class, () -> DeviceKeyEscrow.unwrap(escrow, "device-b", service));
        assertThrows(CryptoException.class, () -> DeviceKeyEscrow.unwrap(escrow, "device-a", KeyAgreement.generate()));
    }

    @Test
    void aLowOrderPublicKeyIsRefused() {
        assertThrows(CryptoException.class, () -> KeyAgreement.agree(KeyAgreement.generate(), new byte[32]));
    }

    @Test
    void aeadRefusesAlteredCiphertextOrAssociatedData() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] sealed = Aead.seal(key, nonce, MESSAGE, MESSAGE);
        assertArrayEquals(MESSAGE, Aead.open(key, nonce, MESSAGE, sealed));
        assertThrows(CryptoException.class, () -> Aead.open(key, nonce, new byte[1], sealed));
        sealed[0] ^= 1;
        assertThrows(CryptoException.class, () -> Aead.open(key, nonce, MESSAGE, sealed));
    }
}
