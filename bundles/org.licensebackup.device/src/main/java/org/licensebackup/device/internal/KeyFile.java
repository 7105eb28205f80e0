package org.licensebackup.device.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The file that keeps a device's private keys:
 *
 * <pre>
 * magic "LBDK" | u8 version (1 or 2) | signing private key[32] | agreement private key[32] | SHA-256 of all before[32]
 * </pre>
 *
 * Version 2 says that the device keeps a record beside the key file ({@link RecordFile}), so that a
 * record that went missing is refused rather than started afresh; version 1, written before there
 * were records, is read and rewritten as version 2 once the record is made. The checksum tells a
 * damaged file from a good one: licenses are bound to these keys, so a damaged file is refused,
 * never replaced by new keys.
 */
final class KeyFile {

    private static final byte[] MAGIC = {'L', 'B', 'D', 'K'};
    static final int VERSION_WITHOUT_RECORD = 1;
    static final int VERSION_KEEPING_RECORD = 2;
    private static final int KEY_LENGTH = 32;
    private static final int BODY_LENGTH = MAGIC.length + 1 + 2 * KEY_LENGTH;
    private static final int CHECKSUM_LENGTH = 32;
    static final int LENGTH = BODY_LENGTH + CHECKSUM_LENGTH;

    /** The keys in a key file, and whether it says that the device keeps a record. */
    record Read(DeviceKeys keys, boolean keepsRecord) {
    }

    private KeyFile() {
    }

    /** @throws NoSuchFileException when there is no such file */
    static Read read(Path file) throws IOException {
        long size = Files.size(file);
        if (size != LENGTH) {
            throw malformed(file, "it has " + size + " bytes, a key file " + LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() != LENGTH) {
            throw malformed(file, "it changed while it was read");
        }
        byte[] body = new byte[BODY_LENGTH];
        in.get(body);
        byte[] checksum = new byte[CHECKSUM_LENGTH];
        in.get(checksum);
        if (!MessageDigest.isEqual(checksum, sha256(body))) {
            throw malformed(file, "its checksum does not match its content");
        }
        if (!Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw malformed(file, "it does not start with the key file's magic");
        }
        ByteBuffer keys = ByteBuffer.wrap(body, MAGIC.length, body.length - MAGIC.length);
        int version = Byte.toUnsignedInt(keys.get());
        if (version != VERSION_WITHOUT_RECORD && version != VERSION_KEEPING_RECORD) {
            throw malformed(file, "it has version " + version + ", this bundle reads versions " + VERSION_WITHOUT_RECORD
                    + " and " + VERSION_KEEPING_RECORD);
        }
        byte[] signingPrivateKey = new byte[KEY_LENGTH];
        keys.get(signingPrivateKey);
        byte[] agreementPrivateKey = new byte[KEY_LENGTH];
        keys.get(agreementPrivateKey);
        return new Read(DeviceKeys.fromPrivateKeys(signingPrivateKey, agreementPrivateKey), version == VERSION_KEEPING_RECORD);
    }

    /**
     * Writes {@code keys} to {@code file} so that a crash leaves either no file or the whole one
     * ({@link DurableFile}).
     *
     * @param keepsRecord whether the file says that the device keeps a record beside it (version 2)
     */
    static void write(Path file, DeviceKeys keys, boolean keepsRecord) {
        try {
            DurableFile.replace(file, encode(keys, keepsRecord ? VERSION_KEEPING_RECORD : VERSION_WITHOUT_RECORD));
        } catch (IOException e) {
            throw new KeyFileException("cannot write the device key file " + file + ": " + e, e);
        }
    }

    static byte[] encode(DeviceKeys keys, int version) {
        ByteBuffer body = ByteBuffer.allocate(BODY_LENGTH);
        body.put(MAGIC).put((byte) version).put(keys.signingPrivateKey()).put(keys.agreementPrivateKey());
        return ByteBuffer.allocate(LENGTH).put(body.array()).put(sha256(body.array())).array();
    }

    private static KeyFileException malformed(Path file, String why) {
        return new KeyFileException("the device key file " + file + " is damaged (" + why + "); it is left as it is,"
                + " because the licenses in the store are bound to its keys: put back a good copy of it if you have one;"
                + " otherwise run newdevice, which keeps the device's files aside and makes this a new device, and restore"
                + " your newest backup through your license server (restore DIR --rebind)");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
