package org.licensebackup.store.embedded.internal;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/** Licenses with random key IDs, keys and signatures: the store neither checks nor needs real ones. */
final class TestLicenses {

    private final Random random = new Random(42);

    License license(String title) {
        return license(KeyId.of(bytes(KeyId.LENGTH)), title);
    }

    License license(KeyId keyId, String title) {
        LicenseGrant grant = new LicenseGrant(keyId, "test issuer", "content " + title, title,
                Rights.unlimited().withBackupAllowed(true), "test device", bytes(60), Instant.ofEpochSecond(1_700_000_000L));
        return License.of(grant, bytes(32), bytes(64), Usage.NONE);
    }

    List<License> licenses(int count) {
        return IntStream.range(0, count).mapToObj(i -> license("title " + i)).toList();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
