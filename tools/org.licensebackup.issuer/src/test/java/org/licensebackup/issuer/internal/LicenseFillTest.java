package org.licensebackup.issuer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;

class LicenseFillTest {

    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void tenThousandLicensesHoldEveryKindAHostMeets() {
        assertEquals("10,000 licenses: 8,500 with the backup right (2,500 with counted plays), "
                + "1,000 without, 500 expired", LicenseFill.describe(LicenseFill.specs(10_000, now)));
    }

    @Test
    void expiredLicensesExpiredBeforeNow() {
        LicenseFill.specs(1_000, now).stream().filter(spec -> spec.rights().notAfter() != null)
                .forEach(spec -> assertTrue(spec.rights().notAfter().isBefore(now), spec.title()));
    }

    @Test
    void countedPlaysNeverExceedTheCount() {
        List<LicenseSpec> counted = LicenseFill.specs(1_000, now).stream()
                .filter(spec -> spec.rights().playCount() != null).toList();
        counted.forEach(spec -> assertTrue(spec.usage().playsUsed() <= spec.rights().playCount(), spec.title()));
    }

    @Test
    void keyIdsAreDistinctAndAscendingTheOrderTheEmbeddedStoreKeepsThemIn() {
        List<KeyId> keyIds = LicenseFill.specs(1_000, now).stream().map(LicenseSpec::keyId).toList();
        assertEquals(keyIds.stream().sorted().distinct().toList(), keyIds);
    }

    @Test
    void theSpecsOfAnyCountTakeNoHeapUntilAskedFor() {
        // held eagerly, two billion specs would need hundreds of GiB
        List<LicenseSpec> specs = LicenseFill.specs(Integer.MAX_VALUE, now);

        assertEquals(Integer.MAX_VALUE, specs.size());
        assertTrue(specs.get(Integer.MAX_VALUE - 2).keyId().compareTo(specs.get(Integer.MAX_VALUE - 1).keyId()) < 0);
    }

    @Test
    void anIssuerKeyFileIsMadeOnceAndThenReused(@TempDir Path directory) throws Exception {
        Path keyFile = directory.resolve("keys/issuer.key");
        Issuer first = LicenseFill.issuer(keyFile);
        Issuer again = LicenseFill.issuer(keyFile);
        assertArrayEquals(first.publicKey(), again.publicKey());
        assertEquals(LicenseFill.publicKey(first), Files.readString(LicenseFill.publicKeyFile(keyFile)).trim());
    }

    @Test
    void aFileThatHoldsNoKeyIsRefused(@TempDir Path directory) throws Exception {
        Path keyFile = Files.writeString(directory.resolve("issuer.key"), "not a key!");
        assertThrows(IllegalArgumentException.class, () -> LicenseFill.issuer(keyFile));
    }
}
