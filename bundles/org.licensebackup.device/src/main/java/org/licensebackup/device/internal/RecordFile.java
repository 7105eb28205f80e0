package org.licensebackup.device.internal;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.device.DeviceRecord.StoreMark;
import org.licensebackup.device.DeviceRecordException;
import org.licensebackup.device.internal.RecordState.ReleasedLicense;
import org.licensebackup.license.KeyId;

/**
 * The device record's file, beside the key file (docs/device-record.md):
 *
 * <pre>
 * magic "LBDR" | u8 version (1) | u8 L | device ID[L] (UTF-8)
 * | u8 store recorded (0 or 1) | [u16 S | store name[S] (UTF-8) | i64 licenses | i64 seconds | u32 nanoseconds]
 * | u32 R | R x (key ID[16] | license digest[16] | i64 released, seconds | u32 nanoseconds)
 * | u32 U | U x usage entry (UsageTable), in ascending key ID order
 * | HMAC-SHA256(record key, all before)[32]
 * record key = HKDF-SHA256(ikm = signing private key | agreement private key, salt = none,
 *                          info = "org.licensebackup device record v1 mac key", L = 32)
 * </pre>
 *
 * Only the holder of the device key can make a record that reads back: a record edited, truncated,
 * put back from another device, or made by anyone else is refused as damaged.
 */
final class RecordFile {

    private static final byte[] MAGIC = {'L', 'B', 'D', 'R'};
    private static final int VERSION = 1;
    private static final int MAC_LENGTH = 32;
    private static final int RELEASED_ENTRY_LENGTH = KeyId.LENGTH + ReleasedLicense.DIGEST_LENGTH + 8 + 4;
    /** Far above any real record (a million records of use take 36 MB), far below what would exhaust a heap. */
    private static final long MAX_LENGTH = 256L << 20;
    private static final byte[] MAC_KEY_INFO = "org.licensebackup device record v1 mac key".getBytes(StandardCharsets.US_ASCII);

    private RecordFile() {
    }

    /** The record kept beside {@code keyFile}: {@code device.record} beside {@code device.key}. */
    static Path beside(Path keyFile) {
        String name = keyFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return keyFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".record");
    }

    /**
     * The state in {@code file}, authenticated with {@code keys}.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws DeviceRecordException when the file is not a record this device made
     */
    static RecordState read(Path file, DeviceKeys keys) throws IOException {
        long size = Files.size(file);
        if (size < MAGIC.length + 1 + MAC_LENGTH || size > MAX_LENGTH) {
            throw damaged(file, "it has " + size + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        int bodyLength = bytes.length - MAC_LENGTH;
        if (!MessageDigest.isEqual(mac(keys, bytes, bodyLength), Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
            throw damaged(file, "it was not written by this device's key: changed, cut short, or another device's");
        }
        try {
            return decode(ByteBuffer.wrap(bytes, 0, bodyLength), keys.deviceId());
        } catch (IllegalArgumentException | BufferUnderflowException | DateTimeException | CharacterCodingException e) {
            // authenticated, so written by this device: a version it does not know, or a fault of its own
            throw damaged(file, "its content is not a record of version " + VERSION + ": " + e.getMessage());
        }
    }

    /** Writes {@code state} to {@code file} so that a crash leaves the old record or the new one. */
    static void write(Path file, DeviceKeys keys, RecordState state) {
        byte[] body = encode(state);
        byte[] whole = Arrays.copyOf(body, body.length + MAC_LENGTH);
        System.arraycopy(mac(keys, body, body.length), 0, whole, body.length, MAC_LENGTH);
        try {
            DurableFile.replace(file, whole);
        } catch (IOException e) {
            throw new DeviceRecordException("cannot write the device record " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] encode(RecordState state) {
        byte[] deviceId = state.deviceId().getBytes(StandardCharsets.UTF_8);
        StoreMark store = state.store();
        byte[] storeName = store == null ? new byte[0] : utf8Within(store.store(), 0xFFFF);
        byte[] usage = state.usage().packed();
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + deviceId.length + 1 + (store == null ? 0 : 2 + storeName.length + 20)
                + 4 + state.released().size() * RELEASED_ENTRY_LENGTH + 4 + usage.length);
        out.put(MAGIC).put((byte) VERSION).put((byte) deviceId.length).put(deviceId);
        out.put((byte) (store == null ? 0 : 1));
        if (store != null) {
            out.putShort((short) storeName.length).put(storeName).putLong(store.licenses());
            putInstant(out, store.at());
        }
        out.putInt(state.released().size());
        state.released().forEach((license, at) -> {
            out.put(license.keyId().bytes()).put(license.digest());
            putInstant(out, at);
        });
        out.putInt(state.usage().size()).put(usage);
        return out.array();
    }

    private static RecordState decode(ByteBuffer in, String deviceId) throws CharacterCodingException {
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("no magic");
        }
        int version = Byte.toUnsignedInt(in.get());
        if (version != VERSION) {
            throw new IllegalArgumentException("version " + version);
        }
        String recordedId = utf8(in, Byte.toUnsignedInt(in.get()));
        if (!recordedId.equals(deviceId)) {
            throw new IllegalArgumentException("it names device " + recordedId);
        }
        StoreMark store = null;
        int storeRecorded = Byte.toUnsignedInt(in.get());
        if (storeRecorded == 1) {
            String name = utf8(in, Short.toUnsignedInt(in.getShort()));
            store = new StoreMark(name, in.getLong(), getInstant(in));
        } else if (storeRecorded != 0) {
            throw new IllegalArgumentException("store flag " + storeRecorded);
        }
        int releasedCount = count(in, RELEASED_ENTRY_LENGTH);
        Map<ReleasedLicense, Instant> released = new HashMap<>();
        for (int i = 0; i < releasedCount; i++) {
            byte[] keyId = new byte[KeyId.LENGTH];
            in.get(keyId);
            byte[] digest = new byte[ReleasedLicense.DIGEST_LENGTH];
            in.get(digest);
            released.put(new ReleasedLicense(KeyId.of(keyId), digest), getInstant(in));
        }
        byte[] usage = new byte[count(in, UsageTable.ENTRY_LENGTH) * UsageTable.ENTRY_LENGTH];
        in.get(usage);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the records of use");
        }
        return new RecordState(recordedId, store, released, UsageTable.of(usage));
    }

    private static int count(ByteBuffer in, int entryLength) {
        long count = Integer.toUnsignedLong(in.getInt());
        if (count * entryLength > in.remaining()) {
            throw new IllegalArgumentException(count + " entries, more than the file holds");
        }
        return (int) count;
    }

    private static void putInstant(ByteBuffer out, Instant at) {
        out.putLong(at.getEpochSecond()).putInt(at.getNano());
    }

    private static Instant getInstant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    private static String utf8(ByteBuffer in, int length) throws CharacterCodingException {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static byte[] utf8Within(String text, int limit) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limit) {
            throw new IllegalArgumentException("more than " + limit + " bytes: " + text);
        }
        return bytes;
    }

    private static byte[] mac(DeviceKeys keys, byte[] bytes, int length) {
        byte[] privateKeys = new byte[64];
        System.arraycopy(keys.signingPrivateKey(), 0, privateKeys, 0, 32);
        System.arraycopy(keys.agreementPrivateKey(), 0, privateKeys, 32, 32);
        byte[] macKey = KeyAgreement.hkdf(privateKeys, null, MAC_KEY_INFO, 32);
        Arrays.fill(privateKeys, (byte) 0);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HMAC-SHA256", e);
        } finally {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    static DeviceRecordException damaged(Path file, String why) {
        return new DeviceRecordException("the device record " + file + " is damaged (" + why + "); it is left as it is,"
                + " because it holds what this device gave back and how far its licenses were used: put back a good copy"
                + " of it if you have one; otherwise run newdevice, which keeps the device's files aside and makes this a"
                + " new device, and restore your newest backup through your license server (restore DIR --rebind)");
    }
}
