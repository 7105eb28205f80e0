package org.licensebackup.issuer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.RandomAccess;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;

/**
 * Puts test licenses into a store, as a license server would have issued them to this device, so
 * that backup and restore can be tried by hand on real homes: what the {@code license:issue} command
 * does ({@link IssueCommand}).
 */
final class LicenseFill {

    static final int BATCH = 1_000;
    /** Bytes of an Ed25519 private key: any 32 random bytes are one. */
    private static final int ISSUER_KEY_LENGTH = 32;
    private static final String ISSUER_NAME = "License Backup test issuer";
    private static final List<String> TITLES = List.of("Night Train", "The Quiet Harbor", "Paper Moons",
            "Glass Orchard", "North of Nowhere", "Saltwater Letters", "The Last Lighthouse", "Copper Sky");

    private LicenseFill() {
    }

    /**
     * The issuer whose private key (base64) is in {@code keyFile}, made there (owner-only) if the file
     * does not exist; its public key goes to {@code keyFile.pub}, for a server to trust
     * ({@code server --trust @FILE.pub}).
     *
     * @throws IOException when the file cannot be read or written
     * @throws IllegalArgumentException when the file does not hold a key
     */
    static Issuer issuer(Path keyFile) throws IOException {
        Path absolute = keyFile.toAbsolutePath();
        if (!Files.exists(absolute)) {
            byte[] privateKey = new byte[ISSUER_KEY_LENGTH];
            new SecureRandom().nextBytes(privateKey);
            Files.createDirectories(absolute.getParent());
            Files.writeString(absolute, Base64.getEncoder().encodeToString(privateKey) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // The platform's own access control is all there is.
            }
        }
        byte[] privateKey;
        try {
            privateKey = Base64.getDecoder().decode(Files.readString(absolute, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(absolute + " does not hold an issuer key (base64)", e);
        }
        Issuer issuer = Issuer.fromPrivateKey(ISSUER_NAME, privateKey);
        Files.writeString(publicKeyFile(absolute), publicKey(issuer) + "\n", StandardCharsets.US_ASCII);
        return issuer;
    }

    static Path publicKeyFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
    }

    static String publicKey(Issuer issuer) {
        return Base64.getEncoder().encodeToString(issuer.publicKey());
    }

    /**
     * {@code count} licenses of every kind a host meets: most with the backup right (a quarter of those
     * with counted plays, some already used), one in ten without it, one in twenty expired. Their key
     * IDs are random but come in ascending order, the embedded store's own, so that a million of them
     * are appended to it rather than written all over it. The list makes each one when asked for it,
     * so that a million take no more heap than one: the {@code issue} command runs in the same 64 MiB
     * as the rest of the product.
     */
    static List<LicenseSpec> specs(int count, Instant now) {
        if (count < 0) {
            throw new IllegalArgumentException("a count of licenses is at least 0, not " + count);
        }
        return new Specs(count, now, new SecureRandom().nextLong());
    }

    /**
     * The specs of {@link #specs}, the i-th made from i alone: its key ID's first 8 bytes lie in the
     * i-th of {@code count} equal slices of their range (so they ascend and never repeat), at a random
     * place in it, and its last 8 bytes are random, both drawn from the list's seed and i.
     */
    private static final class Specs extends AbstractList<LicenseSpec> implements RandomAccess {

        private final int count;
        private final Instant now;
        private final long seed;
        private final long slice;

        Specs(int count, Instant now, long seed) {
            this.count = count;
            this.now = now;
            this.seed = seed;
            this.slice = count == 0 ? 0 : Long.divideUnsigned(-1L, count);
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public LicenseSpec get(int i) {
            Objects.checkIndex(i, count);
            KeyId keyId = keyId(i);
            String title = TITLES.get(i % TITLES.size()) + " " + (i / TITLES.size() + 1);
            Rights backupAllowed = Rights.unlimited().withBackupAllowed(true);
            LicenseSpec spec;
            if (i % 20 == 0) {
                spec = LicenseSpec.of(title, backupAllowed.withNotAfter(now.minus(Duration.ofDays(1 + i % 365))));
            } else if (i % 10 == 1) {
                spec = LicenseSpec.of(title, Rights.unlimited());
            } else if (i % 4 == 2) {
                int playsUsed = i % 7;
                Usage usage = playsUsed == 0 ? Usage.NONE
                        : new Usage(playsUsed, 0, now.minus(Duration.ofDays(1 + i % 30)));
                spec = LicenseSpec.of(title, backupAllowed.withPlayCount(10)).withUsage(usage);
            } else {
                spec = LicenseSpec.of(title, backupAllowed);
            }
            return spec.withKeyId(keyId).withContentId("urn:content:" + keyId);
        }

        private KeyId keyId(int i) {
            long high = slice * i + Long.remainderUnsigned(mix(seed + 2L * i * GOLDEN_GAMMA), slice);
            return KeyId.of(ByteBuffer.allocate(KeyId.LENGTH).putLong(high).putLong(mix(seed + (2L * i + 1) * GOLDEN_GAMMA)).array());
        }

        /** SplitMix64's step between seeds. */
        private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

        /** SplitMix64's finalizer: a well-spread 64 bits from any input, enough for test key IDs. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    /** "10,000 licenses: 8,500 with the backup right (2,500 with counted plays), 1,000 without, 500 expired". */
    static String describe(List<LicenseSpec> specs) {
        long expired = 0;
        long withoutBackupRight = 0;
        long counted = 0;
        // one pass: each spec of a million is made when asked for
        for (LicenseSpec spec : specs) {
            Rights rights = spec.rights();
            expired += rights.notAfter() != null ? 1 : 0;
            withoutBackupRight += rights.backupAllowed() ? 0 : 1;
            counted += rights.playCount() != null ? 1 : 0;
        }
        return count(specs.size()) + " licenses: " + count(specs.size() - expired - withoutBackupRight)
                + " with the backup right (" + count(counted) + " with counted plays), " + count(withoutBackupRight)
                + " without, " + count(expired) + " expired";
    }

    /** 10000 as "10,000". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Issues the licenses to {@code device} and writes them in one store transaction, batch by batch,
     * so that the heap holds one batch at a time. Signing dominates and the issuer is thread-safe: every core helps.
     */
    static void issueInto(LicenseStore store, Issuer issuer, List<LicenseSpec> specs, DeviceIdentity device) {
        String deviceId = device.deviceId();
        byte[] agreementKey = device.agreementPublicKey();
        try (StoreTransaction transaction = store.begin()) {
            for (int from = 0; from < specs.size(); from += BATCH) {
                List<License> batch = specs.subList(from, Math.min(specs.size(), from + BATCH)).parallelStream()
                        .map(spec -> issuer.issue(spec, deviceId, agreementKey)).toList();
                transaction.put(batch);
            }
            transaction.commit();
        }
    }
}
