package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.Reason;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;

class FormatsTest {

    @Test
    void listsReasonsInTheOrderOfTheEnumAndLeavesOutZeros() {
        assertEquals("BACKUP_NOT_ALLOWED 1,000, EXPIRED 500", Formats.reasons(
                Map.of(Reason.EXPIRED, 500L, Reason.BACKUP_NOT_ALLOWED, 1_000L, Reason.NEWER_IN_STORE, 0L)));
    }

    @Test
    void saysNoneForNoReasons() {
        assertEquals("none", Formats.reasons(Map.of()));
    }

    @Test
    void givesSizesInBinaryUnitsWithTheExactBytes() {
        assertEquals("512 B", Formats.size(512));
        assertEquals("1.5 MiB (1,572,864 bytes)", Formats.size(1_572_864));
    }

    @Test
    void givesShortDurationsInMillisecondsAndLongerOnesInSeconds() {
        assertEquals("250 ms", Formats.duration(Duration.ofMillis(250)));
        assertEquals("1.50 s", Formats.duration(Duration.ofMillis(1_500)));
    }

    @Test
    void summarizesEveryKindOfRight() {
        LicenseSummary license = new LicenseSummary("kid", "Film", "urn:c", "issuer", "device-b",
                Optional.of(Instant.parse("2024-01-01T00:00:00Z")), Optional.of(Instant.parse("2030-01-01T00:00:00Z")),
                OptionalInt.of(10), OptionalInt.of(1),
                Set.of(LicenseTrait.BACKUP_ALLOWED, LicenseTrait.EXPIRES, LicenseTrait.BOUND_ELSEWHERE));
        assertEquals("backup, from 2024-01-01, until 2030-01-01, 10 plays left, 1 copy left, bound to another device",
                Formats.rights(license));
    }

    @Test
    void saysWhenAnExpiryHasPassedAndWhenItStartsOnlyAtFirstUse() {
        LicenseSummary expired = new LicenseSummary("kid", "Film", "urn:c", "issuer", "device-a", Optional.empty(),
                Optional.of(Instant.parse("2020-01-01T00:00:00Z")), OptionalInt.empty(), OptionalInt.empty(),
                Set.of(LicenseTrait.BACKUP_NOT_ALLOWED, LicenseTrait.EXPIRES, LicenseTrait.EXPIRED));
        LicenseSummary unused = new LicenseSummary("kid", "Film", "urn:c", "issuer", "device-a", Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Set.of(LicenseTrait.BACKUP_NOT_ALLOWED, LicenseTrait.EXPIRES, LicenseTrait.STATEFUL));
        assertEquals("no backup, expired 2020-01-01", Formats.rights(expired));
        assertEquals("no backup, expires after first use", Formats.rights(unused));
    }

    @Test
    void givesTimesToTheSecondInUtc() {
        assertEquals("2026-11-30 01:02:03Z", Formats.time(Instant.parse("2026-11-30T01:02:03.456Z")));
    }
}
