package org.licensebackup.lms.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.ServiceKeys;

/**
 * The bodies of the protocol, each with its exact binary form (see {@code docs/lms-protocol.md}):
 * big-endian integers; {@code blob} = u16 length | bytes (at most {@link Limits#MAX_BLOB_BYTES});
 * {@code str} = u16 length | UTF-8 (at most {@link Limits#MAX_STRING_BYTES}); {@code license} = u32
 * length | {@link LicenseCodec} bytes. Decoding reads exactly the message, checks each length before
 * allocating, and fails with {@link ProtocolException} (MALFORMED_BODY, or TOO_LARGE for a count
 * over its limit).
 */
public final class Messages {

    private static final int KEY = ServiceKeys.KEY_LENGTH;

    private Messages() {
    }

    /** {@code agreementKey[32] | signingKey[32]}. */
    public record KeysAnswer(ServiceKeys keys) {
        public byte[] encode() {
            return new WireWriter(2 * KEY).fixed(keys.agreementKey(), KEY).fixed(keys.signingKey(), KEY).toBytes();
        }

        public static KeysAnswer decode(byte[] body) {
            WireReader in = new WireReader(body);
            KeysAnswer answer = new KeysAnswer(new ServiceKeys(in.fixed(KEY, "agreementKey"), in.fixed(KEY, "signingKey")));
            in.end();
            return answer;
        }
    }

    /** {@code str nonce}. */
    public record NonceAnswer(String nonce) {
        public byte[] encode() {
            return new WireWriter(64).string(nonce).toBytes();
        }

        public static NonceAnswer decode(byte[] body) {
            WireReader in = new WireReader(body);
            NonceAnswer answer = new NonceAnswer(in.string("nonce"));
            in.end();
            return answer;
        }
    }

    /** A device's two public keys: {@code signingKey[32] | agreementKey[32]}. */
    public record DeviceKeys(byte[] signingKey, byte[] agreementKey) {
        public DeviceKeys {
            signingKey = signingKey.clone();
            agreementKey = agreementKey.clone();
        }

        void write(WireWriter out) {
            out.fixed(signingKey, KEY).fixed(agreementKey, KEY);
        }

        static DeviceKeys read(WireReader in) {
            return new DeviceKeys(in.fixed(KEY, "signingKey"), in.fixed(KEY, "agreementKey"));
        }
    }

    /** Opens a session: {@code deviceKeys}. */
    public record OpenSession(DeviceKeys device) {
        public byte[] encode() {
            WireWriter out = new WireWriter(2 * KEY);
            device.write(out);
            return out.toBytes();
        }

        public static OpenSession decode(byte[] body) {
            WireReader in = new WireReader(body);
            OpenSession request = new OpenSession(DeviceKeys.read(in));
            in.end();
            return request;
        }
    }

    /**
     * {@code str sessionId | u32 idleTimeoutSeconds | u32 maxBatchLicenses | u32 count | signerKey[32] * count}:
     * the session, how long it lives unused, the most licenses the server takes per batch, and the
     * Ed25519 keys whose licenses the server takes as genuine (trusted issuers and its own).
     */
    public record SessionOpened(String sessionId, long idleTimeoutSeconds, int maxBatchLicenses, List<byte[]> trustedSignerKeys) {
        public SessionOpened {
            trustedSignerKeys = List.copyOf(trustedSignerKeys);
        }

        public byte[] encode() {
            WireWriter out = new WireWriter(64 + KEY * trustedSignerKeys.size()).string(sessionId).u32(idleTimeoutSeconds)
                    .u32(maxBatchLicenses).u32(trustedSignerKeys.size());
            trustedSignerKeys.forEach(key -> out.fixed(key, KEY));
            return out.toBytes();
        }

        public static SessionOpened decode(byte[] body) {
            WireReader in = new WireReader(body);
            String sessionId = in.string("sessionId");
            if (!Endpoints.SESSION_ID.matcher(sessionId).matches()) {
                throw WireReader.malformed("sessionId is not 22 characters of base64url");
            }
            long idleTimeoutSeconds = in.u32("idleTimeoutSeconds");
            long maxBatchLicenses = in.u32("maxBatchLicenses");
            if (maxBatchLicenses < 1 || maxBatchLicenses > Limits.MAX_BATCH_LICENSES) {
                throw WireReader.malformed("maxBatchLicenses " + maxBatchLicenses + " is not 1 to " + Limits.MAX_BATCH_LICENSES);
            }
            int count = in.count("trustedSignerKeys", Limits.MAX_TRUSTED_KEYS, KEY);
            List<byte[]> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(in.fixed(KEY, "trustedSignerKey"));
            }
            in.end();
            return new SessionOpened(sessionId, idleTimeoutSeconds, (int) maxBatchLicenses, keys);
        }
    }

    /** {@code blob wrappedFileKey | blob context}. */
    public record FileKeyRequest(byte[] wrappedFileKey, byte[] context) {
        public byte[] encode() {
            return new WireWriter(wrappedFileKey.length + context.length + 4).blob(wrappedFileKey).blob(context).toBytes();
        }

        public static FileKeyRequest decode(byte[] body) {
            WireReader in = new WireReader(body);
            FileKeyRequest request = new FileKeyRequest(in.blob("wrappedFileKey"), in.blob("context"));
            in.end();
            return request;
        }
    }

    /** {@code blob fileKeyForDevice}: the file key wrapped for the session's device (see {@link FileKeyTransport}). */
    public record FileKeyAnswer(byte[] wrappedForDevice) {
        public byte[] encode() {
            return new WireWriter(wrappedForDevice.length + 2).blob(wrappedForDevice).toBytes();
        }

        public static FileKeyAnswer decode(byte[] body) {
            WireReader in = new WireReader(body);
            FileKeyAnswer answer = new FileKeyAnswer(in.blob("wrappedForDevice"));
            in.end();
            return answer;
        }
    }

    /** {@code str sourceDeviceId | blob escrow}. */
    public record EscrowRequest(String sourceDeviceId, byte[] escrow) {
        public byte[] encode() {
            return new WireWriter(escrow.length + 64).string(sourceDeviceId).blob(escrow).toBytes();
        }

        public static EscrowRequest decode(byte[] body) {
            WireReader in = new WireReader(body);
            EscrowRequest request = new EscrowRequest(in.string("sourceDeviceId"), in.blob("escrow"));
            in.end();
            return request;
        }
    }

    /** {@code u32 count | license * count}, at most {@link Limits#MAX_BATCH_LICENSES}. */
    public record LicenseBatch(List<License> licenses) {
        public LicenseBatch {
            licenses = List.copyOf(licenses);
        }

        public byte[] encode() {
            return encode(licenses.stream().map(LicenseCodec::encode).toList());
        }

        /**
         * The body of a batch from its licenses already encoded ({@code LicenseCodec.encode}), for a
         * sender that encoded them to measure the batch: each is encoded once.
         */
        public static byte[] encode(List<byte[]> encodedLicenses) {
            // written into an array of the body's exact size: a growing buffer and its final copy held
            // up to three times a batch's bytes at once, per batch in flight, on a device with a small heap
            int count = checkedCount(encodedLicenses.size());
            long size = 4;
            for (byte[] license : encodedLicenses) {
                if (license.length > Limits.MAX_LICENSE_BYTES) {
                    throw new IllegalArgumentException("a field of " + license.length + " bytes; at most " + Limits.MAX_LICENSE_BYTES);
                }
                size += 4 + license.length;
            }
            if (size > Limits.MAX_BODY_BYTES) {
                throw new IllegalArgumentException("a body of " + size + " bytes; at most " + Limits.MAX_BODY_BYTES);
            }
            ByteBuffer out = ByteBuffer.allocate((int) size).putInt(count);
            encodedLicenses.forEach(license -> out.putInt(license.length).put(license));
            return out.array();
        }

        public static LicenseBatch decode(byte[] body) {
            WireReader in = new WireReader(body);
            int count = in.count("licenses", Limits.MAX_BATCH_LICENSES, 4);
            List<License> licenses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                licenses.add(decodeLicense(in.longBlob("license", Limits.MAX_LICENSE_BYTES), i));
            }
            in.end();
            return new LicenseBatch(licenses);
        }
    }

    /** {@code u32 count | (keyId[16] | u32 devicesUsed | u32 deviceLimit | u8 onThisDevice) * count}. */
    public record AllowanceList(List<Allowance> allowances) {
        public AllowanceList {
            allowances = List.copyOf(allowances);
        }

        public byte[] encode() {
            WireWriter out = new WireWriter(32 * allowances.size() + 4).u32(checkedCount(allowances.size()));
            for (Allowance allowance : allowances) {
                out.fixed(allowance.keyId().bytes(), KeyId.LENGTH).u32(allowance.devicesUsed()).u32(allowance.deviceLimit())
                        .u8(allowance.onThisDevice() ? 1 : 0);
            }
            return out.toBytes();
        }

        public static AllowanceList decode(byte[] body) {
            WireReader in = new WireReader(body);
            int count = in.count("allowances", Limits.MAX_BATCH_LICENSES, KeyId.LENGTH + 9);
            List<Allowance> allowances = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                KeyId keyId = KeyId.of(in.fixed(KeyId.LENGTH, "keyId"));
                long used = in.u32("devicesUsed");
                long limit = in.u32("deviceLimit");
                int onThisDevice = in.u8("onThisDevice");
                if (used > Integer.MAX_VALUE || limit < 1 || limit > Integer.MAX_VALUE || onThisDevice > 1) {
                    throw WireReader.malformed("allowance " + i + " is out of range");
                }
                allowances.add(new Allowance(keyId, (int) used, (int) limit, onThisDevice == 1));
            }
            in.end();
            return new AllowanceList(allowances);
        }
    }

    /**
     * {@code u32 count | rebinding * count}; a rebinding is {@code u8 1 | license} (re-bound) or
     * {@code u8 2 | keyId[16] | u8 refusal (1 DEVICE_LIMIT_REACHED, 2 NOT_GENUINE) | str message | str supportUrl}
     * (refused; an empty URL is none).
     */
    public record RebindingList(List<Rebinding> rebindings) {
        private static final int REBOUND = 1;
        private static final int REFUSED = 2;

        public RebindingList {
            rebindings = List.copyOf(rebindings);
        }

        public byte[] encode() {
            WireWriter out = new WireWriter(1024 * rebindings.size() + 4).u32(checkedCount(rebindings.size()));
            for (Rebinding rebinding : rebindings) {
                if (rebinding instanceof Rebinding.Rebound rebound) {
                    out.u8(REBOUND).longBlob(LicenseCodec.encode(rebound.license()), Limits.MAX_LICENSE_BYTES);
                } else {
                    Rebinding.Refused refused = (Rebinding.Refused) rebinding;
                    out.u8(REFUSED).fixed(refused.keyId().bytes(), KeyId.LENGTH).u8(refused.refusal().ordinal() + 1)
                            .string(refused.message()).string(refused.supportUrl().orElse(""));
                }
            }
            return out.toBytes();
        }

        public static RebindingList decode(byte[] body) {
            WireReader in = new WireReader(body);
            int count = in.count("rebindings", Limits.MAX_BATCH_LICENSES, 5);
            List<Rebinding> rebindings = new ArrayList<>(count);
            Rebinding.Refusal[] refusals = Rebinding.Refusal.values();
            for (int i = 0; i < count; i++) {
                int kind = in.u8("kind");
                if (kind == REBOUND) {
                    rebindings.add(new Rebinding.Rebound(decodeLicense(in.longBlob("license", Limits.MAX_LICENSE_BYTES), i)));
                } else if (kind == REFUSED) {
                    KeyId keyId = KeyId.of(in.fixed(KeyId.LENGTH, "keyId"));
                    int refusal = in.u8("refusal");
                    if (refusal < 1 || refusal > refusals.length) {
                        throw WireReader.malformed("refusal " + refusal + " is not one of the protocol's");
                    }
                    String message = in.string("message");
                    String supportUrl = in.string("supportUrl");
                    rebindings.add(new Rebinding.Refused(keyId, refusals[refusal - 1], message,
                            supportUrl.isEmpty() ? Optional.empty() : Optional.of(supportUrl)));
                } else {
                    throw WireReader.malformed("rebinding " + i + " has kind " + kind + ", not 1 or 2");
                }
            }
            in.end();
            return new RebindingList(rebindings);
        }
    }

    /** {@code deviceKeys | u32 count | keyId[16] * count}. */
    public record ReleaseRequest(DeviceKeys device, List<KeyId> keyIds) {
        public ReleaseRequest {
            Objects.requireNonNull(device, "device");
            keyIds = List.copyOf(keyIds);
        }

        public byte[] encode() {
            if (keyIds.size() > Limits.MAX_RELEASE_KEY_IDS) {
                throw new IllegalArgumentException(keyIds.size() + " key IDs; at most " + Limits.MAX_RELEASE_KEY_IDS + " per release");
            }
            WireWriter out = new WireWriter(2 * KEY + 4 + KeyId.LENGTH * keyIds.size());
            device.write(out);
            out.u32(keyIds.size());
            keyIds.forEach(keyId -> out.fixed(keyId.bytes(), KeyId.LENGTH));
            return out.toBytes();
        }

        public static ReleaseRequest decode(byte[] body) {
            WireReader in = new WireReader(body);
            DeviceKeys device = DeviceKeys.read(in);
            int count = in.count("keyIds", Limits.MAX_RELEASE_KEY_IDS, KeyId.LENGTH);
            List<KeyId> keyIds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keyIds.add(KeyId.of(in.fixed(KeyId.LENGTH, "keyId")));
            }
            in.end();
            return new ReleaseRequest(device, keyIds);
        }
    }

    /** {@code u32 n | keyId[16] x n}: the key IDs the server counted for the device and released. */
    public record Released(List<KeyId> keyIds) {

        public Released {
            keyIds = List.copyOf(keyIds);
            if (keyIds.size() > Limits.MAX_RELEASE_KEY_IDS) {
                throw new IllegalArgumentException(keyIds.size() + " key IDs; at most " + Limits.MAX_RELEASE_KEY_IDS + " per release");
            }
        }

        public byte[] encode() {
            WireWriter out = new WireWriter(4 + KeyId.LENGTH * keyIds.size());
            out.u32(keyIds.size());
            keyIds.forEach(keyId -> out.fixed(keyId.bytes(), KeyId.LENGTH));
            return out.toBytes();
        }

        public static Released decode(byte[] body) {
            WireReader in = new WireReader(body);
            int count = in.count("released", Limits.MAX_RELEASE_KEY_IDS, KeyId.LENGTH);
            List<KeyId> keyIds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keyIds.add(KeyId.of(in.fixed(KeyId.LENGTH, "keyId")));
            }
            in.end();
            return new Released(keyIds);
        }
    }

    private static int checkedCount(int count) {
        if (count > Limits.MAX_BATCH_LICENSES) {
            throw new IllegalArgumentException(count + " licenses; at most " + Limits.MAX_BATCH_LICENSES + " per batch");
        }
        return count;
    }

    private static License decodeLicense(byte[] encoded, int index) {
        try {
            return LicenseCodec.decode(encoded);
        } catch (MalformedLicenseException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_BODY, "license " + index + ": " + e.getMessage(), e);
        }
    }
}
