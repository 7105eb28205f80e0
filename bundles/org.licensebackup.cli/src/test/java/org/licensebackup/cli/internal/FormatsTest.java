package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.Reason;
import org.licensebackup.license.Rights;

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
        Rights rights = Rights.unlimited().withBackupAllowed(true)
                .withNotBefore(Instant.parse("2024-01-01T00:00:00Z")).withNotAfter(Instant.parse("2030-01-01T00:00:00Z"))
                .withValidAfterFirstUse(Duration.ofHours(48)).withPlayCount(10).withCopyCount(2);
        assertEquals("backup, from 2024-01-01, until 2030-01-01, 48 h after first use, 10 plays, 2 copies",
                Formats.rights(rights));
    }
}
