package org.licensebackup.crypto;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM through the JDK, which uses the CPU's AES instructions. */
public final class Aead {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private Aead() {
    }

    public static byte[] seal(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, nonce, associatedData, plaintext, 0, plaintext.length);
    }

    /** @throws CryptoException when the ciphertext, nonce, key or associated data do not match */
    public static byte[] open(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext) {
        return open(key, nonce, associatedData, ciphertext, 0, ciphertext.length);
    }

    /** @throws CryptoException when the ciphertext, nonce, key or associated data do not match */
    public static byte[] open(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext, int offset, int length) {
        if (length < TAG_LENGTH) {
            throw new CryptoException("ciphertext shorter than its tag");
        }
        return run(Cipher.DECRYPT_MODE, key, nonce, associatedData, ciphertext, offset, length);
    }

    private static byte[] run(int mode, byte[] key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length) {
        if (key.length != KEY_LENGTH || nonce.length != NONCE_LENGTH) {
            throw new CryptoException("AES-256-GCM takes a 32-byte key and a 12-byte nonce");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            return cipher.doFinal(input, offset, length);
        } catch (AEADBadTagException e) {
            throw new CryptoException("authentication failed", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-256-GCM failed", e);
        }
    }
}
