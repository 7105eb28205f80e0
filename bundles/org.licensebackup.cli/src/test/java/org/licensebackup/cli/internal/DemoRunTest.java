package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.licensebackup.issuer.LicenseSpec;

class DemoRunTest {

    private final Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void issuesMostlyLicensesWithTheBackupRightAndSomeWithoutOrExpired() {
        assertEquals("issued 10,000 licenses: 8,500 with the backup right (2,500 with counted plays), "
                + "1,000 without, 500 expired", DemoRun.describe(DemoRun.specs(now)));
    }

    @Test
    void expiresLicensesBeforeNow() {
        DemoRun.specs(now).stream().filter(spec -> spec.rights().notAfter() != null)
                .forEach(spec -> assertEquals(true, spec.rights().notAfter().isBefore(now), spec.toString()));
    }

    @Test
    void usesSomePlaysOfCountedLicensesButNeverMoreThanGranted() {
        List<LicenseSpec> counted = DemoRun.specs(now).stream().filter(spec -> spec.rights().playCount() != null).toList();
        long used = counted.stream().filter(spec -> spec.usage().playsUsed() > 0).count();
        assertEquals(true, used > 0 && used < counted.size());
        counted.forEach(spec -> assertEquals(true, spec.usage().playsUsed() <= spec.rights().playCount()));
    }

    @Test
    void readsMultiValuedConfigurationInEveryFormConfigurationAdminGives() {
        assertEquals(List.of("a", "b"), DemoRun.strings(new String[] {"a", "b"}));
        assertEquals(List.of("a", "b"), DemoRun.strings(List.of("a", "b")));
        assertEquals(List.of("a"), DemoRun.strings("a"));
        assertEquals(List.of(), DemoRun.strings(null));
    }
}
