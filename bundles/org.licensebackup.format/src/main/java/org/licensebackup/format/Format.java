package org.licensebackup.format;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.Signatures;

/**
 * What every version of the backup file shares, as docs/backup-format.md specifies it: the leading
 * fields, the fields up to the device ID, the body's chunks, the limits and the primitives.
 * {@link HeaderLayout} has what differs between versions. Writer and reader share both so that they
 * cannot disagree.
 */
final class Format {

    static final byte[] MAGIC = {(byte) 0x89, 'L', 'B', 'K', 0x0D, 0x0A, 0x1A, 0x0A};

    static final int AEAD_AES_256_GCM_STREAM = 1;
    static final int SIGNATURE_ED25519 = 1;
    static final int KDF_HKDF_HMAC_SHA256 = 1;

    // Offsets and sizes in bytes, big-endian integers, the same in every version.
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int HEADER_LENGTH_OFFSET = 10;
    static final int AEAD_ID_OFFSET = 12;
    static final int KEY_WRAP_ID_OFFSET = 13;
    static final int SIGNATURE_ID_OFFSET = 14;
    static final int KDF_ID_OFFSET = 15;
    static final int CREATED_SECONDS_OFFSET = 16;
    static final int CREATED_NANOS_OFFSET = 24;
    static final int SALT_OFFSET = 28;
    static final int SALT_LENGTH = 32;
    static final int DEVICE_KEY_OFFSET = 60;
    /** Version 1: the service's X25519 key; version 2: the device's own, which the file key is also wrapped for. */
    static final int AGREEMENT_KEY_OFFSET = 92;
    static final int DEVICE_ID_LENGTH_OFFSET = 124;
    static final int DEVICE_ID_OFFSET = 125;
    static final int MAX_DEVICE_ID_LENGTH = 255;
    static final int DEVICE_ID_END = DEVICE_ID_OFFSET + MAX_DEVICE_ID_LENGTH;

    /** The device's key-agreement private key, wrapped for the service with DeviceKeyEscrow. */
    static final int DEVICE_KEY_ESCROW_LENGTH = KeyAgreement.KEY_LENGTH + KeyWrap.OVERHEAD;
    static final int FILE_KEY_LENGTH = FileKeyWrap.FILE_KEY_LENGTH;
    static final int MAC_LENGTH = 32;
    static final int TRAILER_LENGTH = Signatures.SIGNATURE_LENGTH;

    /** Plaintext bytes in every chunk but the last, which holds 0 to this many. */
    static final int CHUNK_SIZE = 64 * 1024;
    static final int CHUNK_CIPHERTEXT_SIZE = CHUNK_SIZE + Aead.TAG_LENGTH;

    /** A record in the plaintext stream: license length (uint32), license. */
    static final int RECORD_LENGTH_FIELD = 4;
    static final int RECORD_OVERHEAD = RECORD_LENGTH_FIELD;
    static final int MAX_RECORD_LENGTH = RECORD_OVERHEAD + BackupRecord.MAX_LICENSE_LENGTH;

    /** 1 TiB of records: a million licenses take about 1 GiB; far above, a length is damage. */
    static final long MAX_PAYLOAD_LENGTH = 1L << 40;

    private Format() {
    }

    /** The keys one file's key gives, each for one use. */
    record FileKeys(byte[] payloadKey, byte[] headerMacKey, byte[] manifestMacKey) {

        static FileKeys derive(HeaderLayout layout, byte[] fileKey, byte[] salt) {
            return new FileKeys(
                    KeyAgreement.hkdf(fileKey, salt, layout.payloadKeyInfo, Aead.KEY_LENGTH),
                    KeyAgreement.hkdf(fileKey, salt, layout.headerMacKeyInfo, MAC_LENGTH),
                    KeyAgreement.hkdf(fileKey, salt, layout.manifestMacKeyInfo, MAC_LENGTH));
        }

        void wipe() {
            java.util.Arrays.fill(payloadKey, (byte) 0);
            java.util.Arrays.fill(headerMacKey, (byte) 0);
            java.util.Arrays.fill(manifestMacKey, (byte) 0);
        }
    }

    /** How many chunks carry {@code payloadLength} plaintext bytes: an empty payload still has one, the last. */
    static long chunkCount(long payloadLength) {
        return payloadLength == 0 ? 1 : (payloadLength + CHUNK_SIZE - 1) / CHUNK_SIZE;
    }

    static int chunkPlaintextLength(long chunkIndex, long payloadLength) {
        return (int) Math.min(CHUNK_SIZE, payloadLength - chunkIndex * CHUNK_SIZE);
    }

    static byte[] concat(byte[] first, byte[] second, int secondLength) {
        byte[] joined = new byte[first.length + secondLength];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, secondLength);
        return joined;
    }

    /**
     * The JIT uses the CPU's SHA and carry-less multiply instructions only in callers it compiled
     * fully, which it picks by how often they are called: fed 64 KiB a call, SHA-256 and GCM would
     * run as plain Java for the first several hundred megabytes. Slices of this size get them there
     * within the first few dozen.
     */
    static final int JIT_FRIENDLY_SLICE = 4096;

    static void digest(MessageDigest digest, byte[] bytes, int length) {
        for (int offset = 0; offset < length; offset += JIT_FRIENDLY_SLICE) {
            digest.update(bytes, offset, Math.min(JIT_FRIENDLY_SLICE, length - offset));
        }
    }

    static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform lacks HMAC-SHA256", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform lacks SHA-256", e);
        }
    }

    /** A label ends in a zero byte, so no label is a prefix of what follows another. */
    static byte[] label(String text) {
        return ascii(text + "\0");
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
