package org.licensebackup.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/**
 * Licenses for store tests that a number alone determines, so that a check can name which license
 * is missing or extra, and a process can tell what another one wrote. Their key IDs are a hash of
 * the number: as random an order as real key IDs. Their sizes are those of real licenses; their
 * keys and signatures are random bytes (stores neither check nor need real ones).
 */
public final class NumberedLicenses {

    private NumberedLicenses() {
    }

    public static License license(long number) {
        Random random = new Random(number);
        LicenseGrant grant = new LicenseGrant(keyId(number), "test issuer", "content " + number, "title " + number,
                Rights.unlimited().withBackupAllowed(true), "test device", bytes(random, 60),
                Instant.ofEpochSecond(1_700_000_000L + number));
        return License.of(grant, bytes(random, 32), bytes(random, 64), Usage.NONE);
    }

    /** Licenses {@code from} (inclusive) to {@code to} (exclusive). */
    public static List<License> licenses(long from, long to) {
        return LongStream.range(from, to).mapToObj(NumberedLicenses::license).toList();
    }

    public static KeyId keyId(long number) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(Long.BYTES).putLong(number).array());
            return KeyId.of(Arrays.copyOf(hash, KeyId.LENGTH));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The number of a license made by {@link #license(long)}, read back from its title. */
    public static long numberOf(License license) {
        return Long.parseLong(license.title().substring("title ".length()));
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
