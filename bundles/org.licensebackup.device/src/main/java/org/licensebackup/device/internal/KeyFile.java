package org.licensebackup.device.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;

/**
 * The file that keeps a device's private keys:
 *
 * <pre>
 * magic "LBDK" | u8 version (1) | signing private key[32] | agreement private key[32] | SHA-256 of all before[32]
 * </pre>
 *
 * The checksum tells a damaged file from a good one: licenses are bound to these keys, so a damaged
 * file is refused, never replaced by new keys.
 */
final class KeyFile {

    private static final byte[] MAGIC = {'L', 'B', 'D', 'K'};
    private static final int VERSION = 1;
    private static final int KEY_LENGTH = 32;
    private static final int BODY_LENGTH = MAGIC.length + 1 + 2 * KEY_LENGTH;
    private static final int CHECKSUM_LENGTH = 32;
    static final int LENGTH = BODY_LENGTH + CHECKSUM_LENGTH;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFile() {
    }

    /**
     * The keys in {@code file}; new keys, written there first, if there is no such file.
     *
     * @throws KeyFileException when the file exists but cannot be read or is not a key file, or
     *     when new keys cannot be written
     */
    static DeviceKeys loadOrCreate(Path file) {
        try {
            return read(file);
        } catch (NoSuchFileException absent) {
            DeviceKeys keys = DeviceKeys.generate();
            write(file, keys);
            return keys;
        } catch (IOException e) {
            throw new KeyFileException("cannot read the device key file " + file + ": " + e, e);
        }
    }

    /** @throws NoSuchFileException when there is no such file */
    static DeviceKeys read(Path file) throws IOException {
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
        if (version != VERSION) {
            throw malformed(file, "it has version " + version + ", this bundle reads version " + VERSION);
        }
        byte[] signingPrivateKey = new byte[KEY_LENGTH];
        keys.get(signingPrivateKey);
        byte[] agreementPrivateKey = new byte[KEY_LENGTH];
        keys.get(agreementPrivateKey);
        return DeviceKeys.fromPrivateKeys(signingPrivateKey, agreementPrivateKey);
    }

    /**
     * Writes {@code keys} to {@code file} so that a crash leaves either no file or the whole one:
     * a temporary file in the same folder, synced, then renamed over, then the folder synced.
     */
    static void write(Path file, DeviceKeys keys) {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, "." + file.getFileName() + ".", ".tmp", ownerOnly(folder));
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(encode(keys));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            syncFolder(folder);
        } catch (IOException e) {
            throw new KeyFileException("cannot write the device key file " + file + ": " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write already failed; a stray temporary file holds no key anyone uses
                }
            }
        }
    }

    static byte[] encode(DeviceKeys keys) {
        ByteBuffer body = ByteBuffer.allocate(BODY_LENGTH);
        body.put(MAGIC).put((byte) VERSION).put(keys.signingPrivateKey()).put(keys.agreementPrivateKey());
        return ByteBuffer.allocate(LENGTH).put(body.array()).put(sha256(body.array())).array();
    }

    private static FileAttribute<?>[] ownerOnly(Path folder) throws IOException {
        return Files.getFileStore(folder).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    /** Makes the rename durable; file systems that cannot open a folder for sync (Windows) are passed over. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (AccessDeniedException | UnsupportedOperationException notSyncable) {
            // the platform does not sync folders; the rename is as durable as it makes it
        }
    }

    private static KeyFileException malformed(Path file, String why) {
        return new KeyFileException("the device key file " + file + " is damaged (" + why + "); it is left as it is,"
                + " because the licenses in the store are bound to its keys: put back a good copy of it if you have one;"
                + " otherwise move it aside (keep it) to make this a new device, and restore your newest backup through"
                + " your license server (restore DIR --rebind)");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
