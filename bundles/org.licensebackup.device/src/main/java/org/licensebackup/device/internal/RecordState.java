package org.licensebackup.device.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.licensebackup.device.DeviceRecord.StoreMark;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;

/**
 * One committed state of a device record, immutable: a change makes a new one. The records of use
 * are kept packed and sorted ({@link UsageTable}), as a store of a million licenses may have hundreds
 * of thousands in use, and the record stays loaded while the device runs.
 */
record RecordState(String deviceId, StoreMark store, Map<ReleasedLicense, Instant> released, UsageTable usage) {

    RecordState {
        Objects.requireNonNull(deviceId, "deviceId");
        released = Map.copyOf(released);
        Objects.requireNonNull(usage, "usage");
    }

    static RecordState empty(String deviceId) {
        return new RecordState(deviceId, null, Map.of(), UsageTable.EMPTY);
    }

    Optional<Instant> releasedAt(License license) {
        return Optional.ofNullable(released.get(ReleasedLicense.of(license)));
    }

    /**
     * A license as issued: its key ID and a digest of its issuer's signature, so that the license
     * issued again, or re-bound by a license management service (signed anew), is another one.
     */
    record ReleasedLicense(KeyId keyId, byte[] digest) {

        static final int DIGEST_LENGTH = 16;
        private static final byte[] LABEL = "org.licensebackup released license v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        ReleasedLicense {
            Objects.requireNonNull(keyId, "keyId");
            if (digest.length != DIGEST_LENGTH) {
                throw new IllegalArgumentException("a released license's digest has " + DIGEST_LENGTH + " bytes");
            }
            digest = digest.clone();
        }

        static ReleasedLicense of(License license) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(LABEL);
                sha256.update(license.signerKey());
                sha256.update(license.signature());
                return new ReleasedLicense(license.keyId(), Arrays.copyOf(sha256.digest(), DIGEST_LENGTH));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ReleasedLicense that && keyId.equals(that.keyId) && Arrays.equals(digest, that.digest);
        }

        @Override
        public int hashCode() {
            return 31 * keyId.hashCode() + Arrays.hashCode(digest);
        }

        @Override
        public String toString() {
            return keyId.toString();
        }
    }

    /**
     * What a change collects until it commits: what it adds to or takes from a state, laid over the
     * state as it is at the commit, so that changes made meanwhile stay.
     */
    static final class Pending {
        private final RecordState base;
        private final Map<ReleasedLicense, Instant> released = new HashMap<>();
        private final Set<ReleasedLicense> notReleased = new HashSet<>();
        private final UsageTable.Raised raised = new UsageTable.Raised();
        private StoreMark store;

        Pending(RecordState base) {
            this.base = base;
        }

        void released(License license, Instant at) {
            ReleasedLicense released = ReleasedLicense.of(license);
            notReleased.remove(released);
            this.released.put(released, Objects.requireNonNull(at, "at"));
        }

        void notReleased(License license) {
            ReleasedLicense released = ReleasedLicense.of(license);
            this.released.remove(released);
            notReleased.add(released);
        }

        /** Keeps only uses beyond what the record had when the change started, so that a backup of a store nobody used keeps nothing. */
        void used(License license) {
            Usage usage = license.usage();
            if (!usage.equals(Usage.NONE) && !base.usage().get(license.keyId()).atLeast(usage)) {
                raised.add(license.keyId(), usage);
            }
        }

        void store(StoreMark mark) {
            store = Objects.requireNonNull(mark, "mark");
        }

        RecordState over(RecordState current) {
            Map<ReleasedLicense, Instant> allReleased = new HashMap<>(current.released());
            allReleased.keySet().removeAll(notReleased);
            allReleased.putAll(released);
            return new RecordState(current.deviceId(), store != null ? store : current.store(), allReleased,
                    current.usage().raisedTo(raised));
        }
    }
}
