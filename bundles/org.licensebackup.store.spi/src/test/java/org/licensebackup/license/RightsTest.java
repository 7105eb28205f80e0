package org.licensebackup.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class RightsTest {

    private static final Instant FIRST_USE = Instant.parse("2024-03-01T00:00:00Z");
    private static final Usage USED = new Usage(1, 0, FIRST_USE);

    @Test
    void withoutLimitsALicenseNeverExpires() {
        assertEquals(Optional.empty(), Rights.unlimited().expiry(USED));
        assertEquals(Optional.empty(), Rights.unlimited().expiry(Usage.NONE));
    }

    @Test
    void expiresAtItsExpiryDate() {
        Instant notAfter = Instant.parse("2024-12-31T00:00:00Z");

        assertEquals(Optional.of(notAfter), Rights.unlimited().withNotAfter(notAfter).expiry(USED));
    }

    @Test
    void expiresItsValidityAfterItsFirstUse() {
        Rights rights = Rights.unlimited().withValidAfterFirstUse(Duration.ofDays(2));

        assertEquals(Optional.of(FIRST_USE.plus(Duration.ofDays(2))), rights.expiry(USED));
    }

    @Test
    void theValidityAfterFirstUseDoesNotRunBeforeTheFirstUse() {
        Instant notAfter = Instant.parse("2024-12-31T00:00:00Z");
        Rights rights = Rights.unlimited().withValidAfterFirstUse(Duration.ofDays(2));

        assertEquals(Optional.empty(), rights.expiry(Usage.NONE));
        assertEquals(Optional.of(notAfter), rights.withNotAfter(notAfter).expiry(Usage.NONE));
    }

    @Test
    void expiresAtTheEarlierOfItsExpiryDateAndItsValidityAfterFirstUse() {
        Rights rights = Rights.unlimited().withValidAfterFirstUse(Duration.ofDays(2));
        Instant dateFirst = FIRST_USE.plus(Duration.ofDays(1));
        Instant validityFirst = FIRST_USE.plus(Duration.ofDays(3));

        assertEquals(Optional.of(dateFirst), rights.withNotAfter(dateFirst).expiry(USED));
        assertEquals(Optional.of(FIRST_USE.plus(Duration.ofDays(2))), rights.withNotAfter(validityFirst).expiry(USED));
    }

    @Test
    void countsWhatIsLeftAndNeverBelowZero() {
        Rights rights = Rights.unlimited().withPlayCount(3).withCopyCount(1);

        assertEquals(OptionalInt.of(2), rights.playsLeft(USED));
        assertEquals(OptionalInt.of(0), rights.playsLeft(new Usage(5, 0, FIRST_USE)));
        assertEquals(OptionalInt.of(0), rights.copiesLeft(new Usage(0, 2, FIRST_USE)));
        assertEquals(OptionalInt.empty(), Rights.unlimited().playsLeft(USED));
    }

    @Test
    void refusesNegativeLimits() {
        assertThrowsExactly(MalformedLicenseException.class, () -> Rights.unlimited().withPlayCount(-1));
        assertThrowsExactly(MalformedLicenseException.class, () -> Rights.unlimited().withCopyCount(-1));
        assertThrowsExactly(MalformedLicenseException.class, () -> Rights.unlimited().withValidAfterFirstUse(Duration.ofSeconds(-1)));
    }
}
