package org.licensebackup.format;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
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
 * format, and it makes the files that only the reader's structural checks can refuse. It reads
 * versions 1 and 2, opening the file key as the service does.
 */
final class KeyHolder {

    private static final int CHUNK_SIZE = 65536;
    private static final int TAG_LENGTH = 16;

    /**
     * Where a version keeps what differs, as the tables of docs/backup-format.md give it: sections
     * 3 (version 1) and 10 (version 2).
     */
    private record Layout(int version, int headerLength, int escrowOffset, int serviceWrapOffset, int serviceWrapLength,
            int signatureOffset) {

        static Layout of(byte[] file) {
            int version = ByteBuffer.wrap(file).getShort(8);
            return switch (version) {
                case 1 -> new Layout(1, 684, 380, 460, 80, 540);
                case 2 -> new Layout(2, 831, 445, 525, 81, 687);
                default -> throw new IllegalArgumentException("version " + version);
            };
        }

        int recordCountOffset() {
            return signatureOffset + 64;
        }

        int payloadLengthOffset() {
            return signatureOffset + 72;
        }

        int manifestMacOffset() {
            return signatureOffset + 80;
        }

        int headerMacOffset() {
            return signatureOffset + 112;
        }

        String prefix() {
            return "org.licensebackup backup v" + version + " ";
        }
    }

    private final RawKeyPair recipient;
    private final RawKeyPair device;

    KeyHolder(RawKeyPair recipient, RawKeyPair device) {
        this.recipient = recipient;
        this.device = device;
    }

    /** The plaintext record stream of a genuine backup. */
    byte[] records(byte[] file) {
        Layout layout = Layout.of(file);
        byte[] header = Arrays.copyOf(file, layout.headerLength());
        long payloadLength = ByteBuffer.wrap(header).getLong(layout.payloadLengthOffset());
        byte[] payloadKey = payloadKey(layout, header);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        int offset = layout.headerLength();
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
        Layout layout = Layout.of(genuine);
        byte[] header = Arrays.copyOf(genuine, layout.headerLength());
        byte[] payloadKey = payloadKey(layout, header);
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
        fields.putLong(layout.recordCountOffset(), recordCount);
        fields.putLong(layout.payloadLengthOffset(), records.length);
        fields.put(layout.manifestMacOffset(), hmac(derive(layout, header, "manifest mac key"), tags.toByteArray(), tags.size()));
        fields.put(layout.headerMacOffset(), hmac(derive(layout, header, "header mac key"), header, layout.headerMacOffset()));
        byte[] bodyBytes = body.toByteArray();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes((layout.prefix() + "file\0").getBytes(StandardCharsets.US_ASCII));
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
        Layout layout = Layout.of(genuine);
        byte[] altered = genuine.clone();
        System.arraycopy(escrow, 0, altered, layout.escrowOffset(), 80);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes((layout.prefix() + "header\0").getBytes(StandardCharsets.US_ASCII));
        message.write(altered, 0, layout.signatureOffset());
        System.arraycopy(Signatures.sign(device, message.toByteArray()), 0, altered, layout.signatureOffset(), 64);
        return altered;
    }

    private byte[] payloadKey(Layout layout, byte[] header) {
        return derive(layout, header, "payload key");
    }

    private byte[] derive(Layout layout, byte[] header, String purpose) {
        byte[] salt = Arrays.copyOfRange(header, 28, 60);
        return KeyAgreement.hkdf(fileKey(layout, header), salt, (layout.prefix() + purpose).getBytes(StandardCharsets.US_ASCII), 32);
    }

    /** The file key as the service opens it: version 1 with KeyWrap, version 2 with HPKE (section 10.3). */
    private byte[] fileKey(Layout layout, byte[] header) {
        String label = layout.version() == 1 ? "file key\0" : "file key for the service\0";
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        context.writeBytes((layout.prefix() + label).getBytes(StandardCharsets.US_ASCII));
        context.write(header, 0, layout.escrowOffset() + 80);
        byte[] wrapped = Arrays.copyOfRange(header, layout.serviceWrapOffset(), layout.serviceWrapOffset() + layout.serviceWrapLength());
        if (layout.version() == 1) {
            return KeyWrap.unwrap(wrapped, recipient, context.toByteArray());
        }
        if (wrapped[0] != 2) {
            throw new IllegalArgumentException("not an HPKE-wrapped file key");
        }
        HPKE hpke = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
        try {
            return hpke.open(Arrays.copyOfRange(wrapped, 1, 33), hpke.deserializePrivateKey(recipient.privateKey(), recipient.publicKey()),
                    "org.licensebackup file key wrap v2".getBytes(StandardCharsets.US_ASCII), context.toByteArray(),
                    Arrays.copyOfRange(wrapped, 33, 81), null, null, null);
        } catch (InvalidCipherTextException e) {
            throw new IllegalArgumentException("the file key was not wrapped for this service", e);
        }
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
