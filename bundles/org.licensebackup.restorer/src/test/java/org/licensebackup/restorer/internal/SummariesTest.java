package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.policy.Binding;

class SummariesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Issuer ISSUER = Issuer.generate("Summaries Issuer");
    private static final DeviceIdentity DEVICE = TestDevices.generate();

    private static License license(Rights rights, Usage usage) {
        return ISSUER.issue(LicenseSpec.of("Film", rights).withUsage(usage), DEVICE.deviceId(), DEVICE.agreementPublicKey());
    }

    @Test
    void anUnlimitedLicenseThatMayBeBackedUpIsJustThatAndBoundHere() {
        License license = license(Rights.unlimited().withBackupAllowed(true), Usage.NONE);
        LicenseSummary summary = Summaries.of(license, Binding.THIS_DEVICE, NOW);

        assertEquals(EnumSet.of(LicenseTrait.BACKUP_ALLOWED, LicenseTrait.BOUND_HERE), summary.traits());
        assertEquals(license.keyId().toString(), summary.keyId());
        assertEquals("Film", summary.title());
        assertEquals(DEVICE.deviceId(), summary.boundDeviceId());
        assertEquals(Optional.empty(), summary.expiry());
        assertEquals(OptionalInt.empty(), summary.playsLeft());
    }

    @Test
    void aLicenseBoundToAnotherDeviceSaysSo() {
        LicenseSummary summary = Summaries.of(license(Rights.unlimited(), Usage.NONE), Binding.ANOTHER_DEVICE, NOW);
        assertTrue(summary.has(LicenseTrait.BOUND_ELSEWHERE));
        assertTrue(summary.has(LicenseTrait.BACKUP_NOT_ALLOWED));
        assertFalse(summary.has(LicenseTrait.BOUND_HERE));
    }

    @Test
    void anExpiryPassedIsExpired() {
        LicenseSummary summary = Summaries.of(license(Rights.unlimited().withNotAfter(NOW), Usage.NONE),
                Binding.THIS_DEVICE, NOW);
        assertTrue(summary.has(LicenseTrait.EXPIRES));
        assertTrue(summary.has(LicenseTrait.EXPIRED));
        assertEquals(Optional.of(NOW), summary.expiry());
    }

    @Test
    void anExpiryToComeIsNotExpired() {
        LicenseSummary summary = Summaries.of(license(Rights.unlimited().withNotAfter(NOW.plusSeconds(1)), Usage.NONE),
                Binding.THIS_DEVICE, NOW);
        assertTrue(summary.has(LicenseTrait.EXPIRES));
        assertFalse(summary.has(LicenseTrait.EXPIRED));
    }

    @Test
    void aClockFromFirstUseExpiresEvenBeforeFirstUse() {
        LicenseSummary summary = Summaries.of(license(Rights.unlimited().withValidAfterFirstUse(Duration.ofDays(2)),
                Usage.NONE), Binding.THIS_DEVICE, NOW);
        assertTrue(summary.has(LicenseTrait.EXPIRES));
        assertTrue(summary.has(LicenseTrait.STATEFUL));
        assertFalse(summary.has(LicenseTrait.EXPIRED));
    }

    @Test
    void aLicenseNotValidYetSaysSo() {
        LicenseSummary summary = Summaries.of(license(Rights.unlimited().withNotBefore(NOW.plusSeconds(60)), Usage.NONE),
                Binding.THIS_DEVICE, NOW);
        assertTrue(summary.has(LicenseTrait.NOT_YET_VALID));
    }

    @Test
    void playsAllUsedAreUsedUpAndCountedLeft() {
        Rights threePlays = Rights.unlimited().withPlayCount(3);
        LicenseSummary used = Summaries.of(license(threePlays, new Usage(3, 0, NOW)), Binding.THIS_DEVICE, NOW);
        LicenseSummary fresh = Summaries.of(license(threePlays, new Usage(1, 0, NOW)), Binding.THIS_DEVICE, NOW);

        assertTrue(used.has(LicenseTrait.USED_UP));
        assertEquals(OptionalInt.of(0), used.playsLeft());
        assertFalse(fresh.has(LicenseTrait.USED_UP));
        assertEquals(OptionalInt.of(2), fresh.playsLeft());
        assertTrue(fresh.has(LicenseTrait.STATEFUL));
    }
}
