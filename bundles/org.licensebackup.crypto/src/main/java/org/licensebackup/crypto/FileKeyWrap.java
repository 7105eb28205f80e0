package org.licensebackup.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * Wraps a backup's 32-byte file key for the holder of an X25519 key. Two forms exist, told apart
 * by their length:
 *
 * <ul>
 * <li>version 1, {@value #WRAPPED_V1_LENGTH} bytes: {@link KeyWrap}, as backup format version 1 stores it;
 * <li>version 2, {@value #WRAPPED_V2_LENGTH} bytes: {@code 0x02 | enc[32] | ct[48]}, HPKE (RFC 9180)
 *     single-shot in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-256-GCM, with
 *     {@code info = "org.licensebackup file key wrap v2"} and {@code aad = context}. A standard
 *     construction, so another implementation needs no description of ours to open it.
 * </ul>
 *
 * {@link #wrap} makes version 2; {@link #unwrap} opens both. Thread-safe.
 */
public final class FileKeyWrap {

    public static final int FILE_KEY_LENGTH = 32;
    /** The first byte of a version 2 wrap. */
    public static final byte VERSION_2 = 0x02;
    public static final int WRAPPED_V1_LENGTH = FILE_KEY_LENGTH + KeyWrap.OVERHEAD;
    public static final int WRAPPED_V2_LENGTH = 1 + KeyAgreement.KEY_LENGTH + FILE_KEY_LENGTH + Aead.TAG_LENGTH;

    private static final byte[] HPKE_INFO = "org.licensebackup file key wrap v2".getBytes(StandardCharsets.US_ASCII);
    private static final int ENC_OFFSET = 1;
    private static final int CIPHERTEXT_OFFSET = ENC_OFFSET + KeyAgreement.KEY_LENGTH;

    private FileKeyWrap() {
    }

    /**
     * @param context what the key is for; the same bytes must be given to unwrap it
     * @return the version 2 form, {@value #WRAPPED_V2_LENGTH} bytes
     * @throws CryptoException for a file key that is not {@value #FILE_KEY_LENGTH} bytes, or a
     *     recipient key that is not a usable X25519 public key
     */
    public static byte[] wrap(byte[] fileKey, byte[] recipientPublicKey, byte[] context) {
        Objects.requireNonNull(context, "context");
        if (fileKey == null || fileKey.length != FILE_KEY_LENGTH) {
            throw new CryptoException("a file key has " + FILE_KEY_LENGTH + " bytes");
        }
        if (recipientPublicKey == null || recipientPublicKey.length != KeyAgreement.KEY_LENGTH) {
            throw new CryptoException("an X25519 public key has " + KeyAgreement.KEY_LENGTH + " bytes");
        }
        HPKE hpke = hpke();
        byte[][] ciphertextAndEnc;
        try {
            ciphertextAndEnc = hpke.seal(hpke.deserializePublicKey(recipientPublicKey), HPKE_INFO, context, fileKey, null, null, null);
        } catch (InvalidCipherTextException | RuntimeException e) {
            // Bouncy Castle refuses a low-order public key with an IllegalStateException
            throw new CryptoException("HPKE refused the recipient key", e);
        }
        byte[] wrapped = new byte[WRAPPED_V2_LENGTH];
        wrapped[0] = VERSION_2;
        System.arraycopy(ciphertextAndEnc[1], 0, wrapped, ENC_OFFSET, KeyAgreement.KEY_LENGTH);
        System.arraycopy(ciphertextAndEnc[0], 0, wrapped, CIPHERTEXT_OFFSET, FILE_KEY_LENGTH + Aead.TAG_LENGTH);
        return wrapped;
    }

    /**
     * Opens either form.
     *
     * @throws CryptoException when {@code wrapped} was not wrapped for {@code recipient} with
     *     {@code context}, is damaged, or is of neither form
     */
    public static byte[] unwrap(byte[] wrapped, RawKeyPair recipient, byte[] context) {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(context, "context");
        if (wrapped != null && wrapped.length == WRAPPED_V1_LENGTH) {
            return KeyWrap.unwrap(wrapped, recipient, context);
        }
        if (wrapped == null || wrapped.length != WRAPPED_V2_LENGTH || wrapped[0] != VERSION_2) {
            throw new CryptoException("not a wrapped file key: neither version 1 (" + WRAPPED_V1_LENGTH
                    + " bytes) nor version 2 (" + WRAPPED_V2_LENGTH + " bytes, first byte 2)");
        }
        HPKE hpke = hpke();
        try {
            AsymmetricCipherKeyPair recipientKeys = hpke.deserializePrivateKey(recipient.privateKey(), recipient.publicKey());
            return hpke.open(Arrays.copyOfRange(wrapped, ENC_OFFSET, CIPHERTEXT_OFFSET), recipientKeys, HPKE_INFO, context,
                    Arrays.copyOfRange(wrapped, CIPHERTEXT_OFFSET, WRAPPED_V2_LENGTH), null, null, null);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("authentication failed", e);
        } catch (RuntimeException e) {
            throw new CryptoException("HPKE refused the encapsulated key", e);
        }
    }

    /** A new instance each time: Bouncy Castle's HPKE keeps per-operation state in its KEM. */
    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }
}
