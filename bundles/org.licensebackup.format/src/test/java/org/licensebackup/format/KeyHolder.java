package org.licensebackup.format;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

/**
 * Someone who holds both the recipient's and the device's private keys, following
 * docs/backup-format.md on its own (labels and derivations are spelled out here, not taken from the
 * writer): it opens a backup's records and seals any records it likes into a file that every
 * cryptographic check accepts. It shows that the specification is enough to read and write the
 * format, and it makes the files that only the reader's structural checks can refuse.
 */
final class KeyHolder {

    private static final int HEADER_LENGTH = 684;
    private static final int CHUNK_SIZE = 65536;
    private static final int TAG_LENGTH = 16;

    private final RawKeyPair recipient;
    private final RawKeyPair device;

    KeyHolder(RawKeyPair recipient, RawKeyPair device) {
        this.recipient = recipient;
        this.device = device;
    }

    /** The plaintext record stream of a genuine backup. */
    byte[] records(byte[] file) {
        byte[] header = Arrays.copyOf(file, HEADER_LENGTH);
        long payloadLength = ByteBuffer.wrap(header).getLong(612);
        byte[] payloadKey = payloadKey(header);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        int offset = HEADER_LENGTH;
        long chunks = chunkCount(payloadLength);
        for (long index = 0; index < chunks; index++) {
            int plaintextLength = (int) Math.min(CHUNK_SIZE, payloadLength - index * CHUNK_SIZE);
            byte[] opened = Aead.open(payloadKey, nonce(index, index == chunks - 1), null, file, offset, plaintextLength + TAG_LENGTH);
            records.writeBytes(opened);
            offset += plaintextLength + TAG_LENGTH;
        }
        return records.toByteArray();
    }

    /**
     * A file with {@code genuine}'s fixed header fields and the given records, MACed and signed.
     *
     * @param markLastChunk whether the last chunk's nonce carries the last-chunk flag, as it must
     */
    byte[] seal(byte[] genuine, byte[] records, long recordCount, boolean markLastChunk) {
        byte[] header = Arrays.copyOf(genuine, HEADER_LENGTH);
        byte[] payloadKey = payloadKey(header);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream tags = new ByteArrayOutputStream();
        long chunks = chunkCount(records.length);
        for (long index = 0; index < chunks; index++) {
            int from = (int) (index * CHUNK_SIZE);
            byte[] chunk = Arrays.copyOfRange(records, from, Math.min(records.length, from + CHUNK_SIZE));
            byte[] sealed = Aead.seal(payloadKey, nonce(index, markLastChunk && index == chunks - 1), null, chunk);
            body.writeBytes(sealed);
            tags.write(sealed, sealed.length - TAG_LENGTH, TAG_LENGTH);
        }
        ByteBuffer fields = ByteBuffer.wrap(header);
        fields.putLong(604, recordCount);
        fields.putLong(612, records.length);
        fields.put(620, hmac(derive(header, "org.licensebackup backup v1 manifest mac key"), tags.toByteArray(), tags.size()));
        fields.put(652, hmac(derive(header, "org.licensebackup backup v1 header mac key"), header, 652));
        byte[] bodyBytes = body.toByteArray();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes("org.licensebackup backup v1 file\0".getBytes(StandardCharsets.US_ASCII));
        message.writeBytes(header);
        message.writeBytes(sha256(bodyBytes));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(header);
        file.writeBytes(bodyBytes);
        file.writeBytes(Signatures.sign(device, message.toByteArray()));
        return file.toByteArray();
    }

    /** A record as the stream carries it: license length (uint32), license. */
    static byte[] frame(int declaredLicenseLength, byte[] license) {
        return ByteBuffer.allocate(4 + license.length).putInt(declaredLicenseLength).put(license).array();
    }

    /**
     * {@code genuine}'s header with another device key escrow, signed again by the device: the
     * device's signature holds, the file key's wrapping context no longer does.
     */
    byte[] withDeviceKeyEscrow(byte[] genuine, byte[] escrow) {
        byte[] altered = genuine.clone();
        System.arraycopy(escrow, 0, altered, 380, 80);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes("org.licensebackup backup v1 header\0".getBytes(StandardCharsets.US_ASCII));
        message.write(altered, 0, 540);
        System.arraycopy(Signatures.sign(device, message.toByteArray()), 0, altered, 540, 64);
        return altered;
    }

    private byte[] payloadKey(byte[] header) {
        return derive(header, "org.licensebackup backup v1 payload key");
    }

    private byte[] derive(byte[] header, String info) {
        byte[] context = new byte[37 + 460];
        System.arraycopy("org.licensebackup backup v1 file key\0".getBytes(StandardCharsets.US_ASCII), 0, context, 0, 37);
        System.arraycopy(header, 0, context, 37, 460);
        byte[] fileKey = KeyWrap.unwrap(Arrays.copyOfRange(header, 460, 540), recipient, context);
        byte[] salt = Arrays.copyOfRange(header, 28, 60);
        return KeyAgreement.hkdf(fileKey, salt, info.getBytes(StandardCharsets.US_ASCII), 32);
    }

    private static long chunkCount(long payloadLength) {
        return Math.max(1, (payloadLength + CHUNK_SIZE - 1) / CHUNK_SIZE);
    }

    private static byte[] nonce(long index, boolean last) {
        ByteBuffer nonce = ByteBuffer.allocate(12);
        nonce.putLong(3, index);
        nonce.put(11, (byte) (last ? 1 : 0));
        return nonce.array();
    }

    private static byte[] hmac(byte[] key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
