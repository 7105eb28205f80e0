package org.licensebackup.crypto;

/**
 * Wraps a secret for the holder of an X25519 key, as age and HPKE do: an ephemeral X25519 key
 * agrees with the recipient's, HKDF-SHA256 derives an AES-256-GCM key from the shared secret and
 * both public keys, and the secret is sealed under it.
 *
 * <pre>wrapped = ephemeralPublicKey[32] | AES-256-GCM(key, nonce = 0, aad = context, secret) </pre>
 */
public final class KeyWrap {

    /** What wrapping adds to the secret's length. */
    public static final int OVERHEAD = KeyAgreement.KEY_LENGTH + Aead.TAG_LENGTH;

    private static final byte[] ZERO_NONCE = new byte[Aead.NONCE_LENGTH];

    private KeyWrap() {
    }

    /**
     * @param context what the secret is for (a label and anything it is bound to); the same bytes
     *     must be given to unwrap it
     */
    public static byte[] wrap(byte[] secret, byte[] recipientPublicKey, byte[] context) {
        RawKeyPair ephemeral = KeyAgreement.generate();
        byte[] key = derive(KeyAgreement.agree(ephemeral, recipientPublicKey), ephemeral.publicKey(), recipientPublicKey);
        byte[] sealed = Aead.seal(key, ZERO_NONCE, context, secret);
        byte[] wrapped = new byte[KeyAgreement.KEY_LENGTH + sealed.length];
        System.arraycopy(ephemeral.publicKey(), 0, wrapped, 0, KeyAgreement.KEY_LENGTH);
        System.arraycopy(sealed, 0, wrapped, KeyAgreement.KEY_LENGTH, sealed.length);
        return wrapped;
    }

    /** @throws CryptoException when {@code wrapped} was not wrapped for {@code recipient} with {@code context} */
    public static byte[] unwrap(byte[] wrapped, RawKeyPair recipient, byte[] context) {
        if (wrapped == null || wrapped.length < OVERHEAD) {
            throw new CryptoException("wrapped key too short");
        }
        byte[] ephemeralPublicKey = java.util.Arrays.copyOf(wrapped, KeyAgreement.KEY_LENGTH);
        byte[] key = derive(KeyAgreement.agree(recipient, ephemeralPublicKey), ephemeralPublicKey, recipient.publicKey());
        return Aead.open(key, ZERO_NONCE, context, wrapped, KeyAgreement.KEY_LENGTH, wrapped.length - KeyAgreement.KEY_LENGTH);
    }

    private static byte[] derive(byte[] shared, byte[] ephemeralPublicKey, byte[] recipientPublicKey) {
        byte[] salt = new byte[2 * KeyAgreement.KEY_LENGTH];
        System.arraycopy(ephemeralPublicKey, 0, salt, 0, KeyAgreement.KEY_LENGTH);
        System.arraycopy(recipientPublicKey, 0, salt, KeyAgreement.KEY_LENGTH, KeyAgreement.KEY_LENGTH);
        return KeyAgreement.hkdf(shared, salt, "org.licensebackup key wrap v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Aead.KEY_LENGTH);
    }
}
