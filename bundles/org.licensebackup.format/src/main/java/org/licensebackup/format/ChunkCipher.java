package org.licensebackup.format;

import java.io.IOException;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.licensebackup.crypto.Aead;

/**
 * AES-256-GCM over the chunks of one file, as age's STREAM: the nonce is the chunk's index and a
 * flag for the last chunk, so chunks that are dropped, reordered, repeated or cut off do not open.
 * One cipher instance serves every chunk.
 */
final class ChunkCipher {

    private static final int LAST_FLAG_OFFSET = Aead.NONCE_LENGTH - 1;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[Aead.NONCE_LENGTH];

    ChunkCipher(byte[] payloadKey) {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform lacks AES-256-GCM", e);
        }
        key = new SecretKeySpec(payloadKey, "AES");
    }

    /** Seals {@code plaintext[0, length)} into {@code ciphertext}; returns the ciphertext's length. */
    int seal(long chunkIndex, boolean last, byte[] plaintext, int length, byte[] ciphertext) throws IOException {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce(chunkIndex, last));
            int sealed = 0;
            for (int offset = 0; offset < length; offset += Format.JIT_FRIENDLY_SLICE) {
                sealed += cipher.update(plaintext, offset, Math.min(Format.JIT_FRIENDLY_SLICE, length - offset), ciphertext, sealed);
            }
            return sealed + cipher.doFinal(ciphertext, sealed);
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-256-GCM failed to seal chunk " + chunkIndex, e);
        }
    }

    /** Opens {@code ciphertext[0, length)} into {@code plaintext}; returns the plaintext's length. */
    int open(long chunkIndex, boolean last, byte[] ciphertext, int length, byte[] plaintext) throws IOException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nonce(chunkIndex, last));
            return cipher.doFinal(ciphertext, 0, length, plaintext, 0);
        } catch (AEADBadTagException e) {
            throw new BackupFormatException(BackupFormatException.Kind.CORRUPT,
                    "chunk " + chunkIndex + " does not authenticate: altered, moved, from another backup, or cut off", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-256-GCM failed to open chunk " + chunkIndex, e);
        }
    }

    private GCMParameterSpec nonce(long chunkIndex, boolean last) {
        // 11-byte big-endian index: the top three bytes stay zero, a long is enough
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[LAST_FLAG_OFFSET - 1 - i] = (byte) (chunkIndex >>> (8 * i));
        }
        nonce[LAST_FLAG_OFFSET] = (byte) (last ? 1 : 0);
        return new GCMParameterSpec(Aead.TAG_LENGTH * 8, nonce);
    }
}
