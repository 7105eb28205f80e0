package org.licensebackup.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A backup writer for the hostile tests, written from docs/backup-format.md alone (section 10, and
 * what it keeps of sections 2 to 5), not from the product's {@code BackupWriter}: Bouncy Castle for
 * Ed25519, X25519, HKDF and HPKE, the JDK for AES-256-GCM, HMAC-SHA256 and SHA-256. It writes any
 * version 2 backup a forger could: signed by any key, naming any signing key, agreement key, device
 * ID, service and creation time, holding any licenses' encoded bytes. What it writes with coherent
 * fields the product reads back ({@code ForgedBackupsTest}); the hostile tests give it incoherent ones.
 */
final class ForgedBackups {

    private static final byte[] MAGIC = {(byte) 0x89, 'L', 'B', 'K', 0x0D, 0x0A, 0x1A, 0x0A};
    // 10.2: offsets of version 2's header
    private static final int HEADER_LENGTH = 831;
    private static final int CREATED_SECONDS = 16;
    private static final int CREATED_NANOS = 24;
    private static final int SALT = 28;
    private static final int SIGNING_KEY = 60;
    private static final int AGREEMENT_KEY = 92;
    private static final int DEVICE_ID_LENGTH = 124;
    private static final int DEVICE_ID = 125;
    private static final int FLAGS = 380;
    private static final int SERVICE_KEY = 381;
    private static final int SERVICE_SIGNING_KEY = 413;
    private static final int ESCROW = 445;
    private static final int WRAP_FOR_SERVICE = 525;
    private static final int WRAP_FOR_DEVICE = 606;
    private static final int HEADER_SIGNATURE = 687;
    private static final int RECORD_COUNT = 751;
    private static final int PAYLOAD_LENGTH = 759;
    private static final int MANIFEST_MAC = 767;
    private static final int HEADER_MAC = 799;
    /** 4.2: plaintext bytes of every chunk but the last. */
    private static final int CHUNK = 65536;
    private static final int TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ForgedBackups() {
    }

    /** A service a forged backup names (10.2, flags bits 0 and 1), with the key it escrows for it (3.2). */
    record Service(byte[] agreementKey, byte[] signingKey, String escrowDeviceId, byte[] escrowedAgreementPrivateKey) {
    }

    /**
     * What a forged backup says and who signs it.
     *
     * @param signer the Ed25519 key that signs the header and the file
     * @param headerSigningKey the signing key the header names (10.2 offset 60): the signer's, or another's
     * @param agreementKey the X25519 key the file key is wrapped for (offset 92)
     * @param deviceId the device ID the header claims
     * @param service the service part, or null for none (flags 0)
     */
    record Forgery(Ed25519PrivateKeyParameters signer, byte[] headerSigningKey, byte[] agreementKey, String deviceId, Service service,
            Instant createdAt, List<byte[]> licenses) {

        /** A backup as the device with {@code signer} and {@code agreementKey} would make it, without a service. */
        static Forgery coherent(Ed25519PrivateKeyParameters signer, byte[] agreementKey, Instant createdAt, List<byte[]> licenses) {
            byte[] signingKey = signer.generatePublicKey().getEncoded();
            return new Forgery(signer, signingKey, agreementKey, deviceIdOf(signingKey, agreementKey), null, createdAt, licenses);
        }

        Forgery withDeviceId(String claimed) {
            return new Forgery(signer, headerSigningKey, agreementKey, claimed, service, createdAt, licenses);
        }

        Forgery withHeaderSigningKey(byte[] named) {
            return new Forgery(signer, named, agreementKey, deviceId, service, createdAt, licenses);
        }

        Forgery withService(Service named) {
            return new Forgery(signer, headerSigningKey, agreementKey, deviceId, named, createdAt, licenses);
        }
    }

    /**
     * The public fields of a version 2 header (10.2), as anyone who can read a backup file finds
     * them; the service's keys are null when the header names none.
     */
    record PublicHeader(String deviceId, byte[] signingKey, byte[] agreementKey, byte[] serviceKey, byte[] serviceSigningKey) {

        static PublicHeader of(Path backup) throws IOException {
            byte[] header = new byte[HEADER_LENGTH];
            try (var in = Files.newInputStream(backup)) {
                if (in.readNBytes(header, 0, HEADER_LENGTH) != HEADER_LENGTH || ByteBuffer.wrap(header).getShort(8) != 2) {
                    throw new IOException(backup + " is not a version 2 backup");
                }
            }
            int idLength = Byte.toUnsignedInt(header[DEVICE_ID_LENGTH]);
            int flags = header[FLAGS];
            return new PublicHeader(new String(header, DEVICE_ID, idLength, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(header, SIGNING_KEY, SIGNING_KEY + 32),
                    Arrays.copyOfRange(header, AGREEMENT_KEY, AGREEMENT_KEY + 32),
                    (flags & 1) == 0 ? null : Arrays.copyOfRange(header, SERVICE_KEY, SERVICE_KEY + 32),
                    (flags & 2) == 0 ? null : Arrays.copyOfRange(header, SERVICE_SIGNING_KEY, SERVICE_SIGNING_KEY + 32));
        }
    }

    /** The device ID that a signing and an agreement key make (10.7): base64url, no padding, of SHA-256(both)'s first 16 bytes. */
    static String deviceIdOf(byte[] signingKey, byte[] agreementKey) {
        byte[] digest = sha256(concat(signingKey, agreementKey));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    static Ed25519PrivateKeyParameters newSigningKey() {
        return new Ed25519PrivateKeyParameters(RANDOM);
    }

    /** Writes {@code forgery} to {@code file}, replacing what is there. */
    static Path write(Path file, Forgery forgery) throws IOException {
        byte[] fileKey = random(32);
        byte[] salt = random(32);
        byte[] header = new byte[HEADER_LENGTH];
        ByteBuffer fields = ByteBuffer.wrap(header);
        fields.put(0, MAGIC);
        fields.putShort(8, (short) 2);
        fields.putShort(10, (short) HEADER_LENGTH);
        // 12 payload AEAD 1, 13 key wrap 2 (HPKE), 14 signature 1, 15 KDF/MAC 1
        fields.put(12, new byte[] {1, 2, 1, 1});
        fields.putLong(CREATED_SECONDS, forgery.createdAt().getEpochSecond());
        fields.putInt(CREATED_NANOS, forgery.createdAt().getNano());
        fields.put(SALT, salt);
        fields.put(SIGNING_KEY, forgery.headerSigningKey());
        fields.put(AGREEMENT_KEY, forgery.agreementKey());
        byte[] deviceId = forgery.deviceId().getBytes(StandardCharsets.UTF_8);
        header[DEVICE_ID_LENGTH] = (byte) deviceId.length;
        fields.put(DEVICE_ID, deviceId);
        Service service = forgery.service();
        if (service != null) {
            header[FLAGS] = (byte) (service.signingKey() == null ? 1 : 3);
            fields.put(SERVICE_KEY, service.agreementKey());
            if (service.signingKey() != null) {
                fields.put(SERVICE_SIGNING_KEY, service.signingKey());
            }
            fields.put(ESCROW, escrow(service));
            fields.put(WRAP_FOR_SERVICE, wrapFileKey(fileKey, service.agreementKey(),
                    concat(label("org.licensebackup backup v2 file key for the service"), Arrays.copyOf(header, WRAP_FOR_SERVICE))));
        }
        fields.put(WRAP_FOR_DEVICE, wrapFileKey(fileKey, forgery.agreementKey(),
                concat(label("org.licensebackup backup v2 file key for the device"), Arrays.copyOf(header, WRAP_FOR_SERVICE))));
        fields.put(HEADER_SIGNATURE, sign(forgery.signer(), concat(label("org.licensebackup backup v2 header"),
                Arrays.copyOf(header, HEADER_SIGNATURE))));

        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (byte[] license : forgery.licenses()) {
            records.writeBytes(ByteBuffer.allocate(4).putInt(license.length).array());
            records.writeBytes(license);
        }
        byte[] payload = records.toByteArray();
        byte[] payloadKey = hkdf(fileKey, salt, "org.licensebackup backup v2 payload key");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream tags = new ByteArrayOutputStream();
        long chunks = Math.max(1, (payload.length + CHUNK - 1) / CHUNK);
        for (long index = 0; index < chunks; index++) {
            int from = (int) (index * CHUNK);
            byte[] sealed = sealChunk(payloadKey, index, index == chunks - 1,
                    Arrays.copyOfRange(payload, from, Math.min(payload.length, from + CHUNK)));
            body.writeBytes(sealed);
            tags.write(sealed, sealed.length - 16, 16);
        }
        fields.putLong(RECORD_COUNT, forgery.licenses().size());
        fields.putLong(PAYLOAD_LENGTH, payload.length);
        fields.put(MANIFEST_MAC, hmac(hkdf(fileKey, salt, "org.licensebackup backup v2 manifest mac key"), tags.toByteArray()));
        fields.put(HEADER_MAC, hmac(hkdf(fileKey, salt, "org.licensebackup backup v2 header mac key"), Arrays.copyOf(header, HEADER_MAC)));
        byte[] bodyBytes = body.toByteArray();
        byte[] trailer = sign(forgery.signer(), concat(concat(label("org.licensebackup backup v2 file"), header), sha256(bodyBytes)));

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(header);
        whole.writeBytes(bodyBytes);
        whole.writeBytes(trailer);
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, whole.toByteArray());
    }

    /** 10.3: {@code 0x02 || enc || ct} of HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. */
    private static byte[] wrapFileKey(byte[] fileKey, byte[] recipient, byte[] context) {
        HPKE hpke = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
        byte[][] ciphertextAndEnc;
        try {
            ciphertextAndEnc = hpke.seal(hpke.deserializePublicKey(recipient), ascii("org.licensebackup file key wrap v2"), context,
                    fileKey, null, null, null);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        byte[] wrapped = new byte[81];
        wrapped[0] = 2;
        System.arraycopy(ciphertextAndEnc[1], 0, wrapped, 1, 32);
        System.arraycopy(ciphertextAndEnc[0], 0, wrapped, 33, 48);
        return wrapped;
    }

    /** 3.2: a fresh X25519 key {@code e}, {@code E || AES-256-GCM(K, zero nonce, context, agreement private key)}. */
    private static byte[] escrow(Service service) {
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(RANDOM);
        byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
        byte[] shared = new byte[32];
        ephemeral.generateSecret(new X25519PublicKeyParameters(service.agreementKey()), shared, 0);
        byte[] key = hkdf(shared, concat(ephemeralPublic, service.agreementKey()), "org.licensebackup key wrap v1");
        byte[] context = concat(ascii("org.licensebackup device key escrow v1\0"),
                service.escrowDeviceId().getBytes(StandardCharsets.UTF_8));
        return concat(ephemeralPublic, gcm(key, new byte[12], context, service.escrowedAgreementPrivateKey()));
    }

    /** 4.2: nonce = the chunk's index in 11 bytes big-endian, then 1 for the last chunk and 0 for the others. */
    private static byte[] sealChunk(byte[] payloadKey, long index, boolean last, byte[] plaintext) {
        ByteBuffer nonce = ByteBuffer.allocate(12);
        nonce.putLong(3, index);
        nonce.put(11, (byte) (last ? 1 : 0));
        return gcm(payloadKey, nonce.array(), new byte[0], plaintext);
    }

    private static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, ascii(info)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A label of the format ends in one zero byte. */
    private static byte[] label(String text) {
        return ascii(text + "\0");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
