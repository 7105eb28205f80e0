package org.licensebackup.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensebackup.api.Reason;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/**
 * Which licenses store hygiene may remove: those that can never be used again, and never one whose
 * copy in the store keeps a restore from giving back used rights.
 */
class HygieneRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String THIS_DEVICE = "this-device";
    private static final Rights UNLIMITED = Rights.unlimited().withBackupAllowed(true);

    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();

    @AfterEach
    void close() {
        policy.close();
    }

    @Test
    void aLicensePastItsExpiryDateIsRemovedAsExpired() {
        assertEquals(Optional.of(Reason.EXPIRED), policy.neverUsableAgain(
                license(UNLIMITED.withNotAfter(NOW.minusSeconds(1)), THIS_DEVICE, Usage.NONE), THIS_DEVICE, NOW));
    }

    @Test
    void aStatefulLicensePastItsExpiryDateIsRemovedTooForNoStateBringsItBack() {
        assertEquals(Optional.of(Reason.EXPIRED), policy.neverUsableAgain(
                license(UNLIMITED.withPlayCount(3).withNotAfter(NOW.minusSeconds(1)), THIS_DEVICE, new Usage(1, 0, NOW.minusSeconds(99))),
                THIS_DEVICE, NOW));
    }

    @Test
    void aLicenseBoundToAnotherDeviceIsRemoved() {
        assertEquals(Optional.of(Reason.BOUND_TO_ANOTHER_DEVICE),
                policy.neverUsableAgain(license(UNLIMITED, "other-device", Usage.NONE), THIS_DEVICE, NOW));
    }

    @Test
    void aLicenseExpiredSinceItsFirstUseIsKeptLestARestoreOfAnOlderBackupReviveIt() {
        Rights dayAfterFirstUse = UNLIMITED.withValidAfterFirstUse(Duration.ofDays(1));
        assertEquals(Optional.empty(), policy.neverUsableAgain(
                license(dayAfterFirstUse, THIS_DEVICE, new Usage(1, 0, NOW.minus(Duration.ofDays(3)))), THIS_DEVICE, NOW));
    }

    @Test
    void aLicenseWithItsPlaysUsedUpIsKeptLestARestoreGiveThemBack() {
        assertEquals(Optional.empty(), policy.neverUsableAgain(
                license(UNLIMITED.withPlayCount(2), THIS_DEVICE, new Usage(2, 0, NOW.minusSeconds(60))), THIS_DEVICE, NOW));
    }

    @Test
    void aStatefulLicenseBoundToAnotherDeviceIsKept() {
        assertEquals(Optional.empty(), policy.neverUsableAgain(
                license(UNLIMITED.withPlayCount(2), "other-device", Usage.NONE), THIS_DEVICE, NOW));
    }

    @Test
    void aValidLicenseOfThisDeviceIsKept() {
        assertEquals(Optional.empty(), policy.neverUsableAgain(
                license(UNLIMITED.withNotAfter(NOW.plusSeconds(60)), THIS_DEVICE, Usage.NONE), THIS_DEVICE, NOW));
        assertEquals(Optional.empty(), policy.neverUsableAgain(
                license(UNLIMITED.withNotBefore(NOW.plusSeconds(60)), THIS_DEVICE, Usage.NONE), THIS_DEVICE, NOW));
    }

    private static License license(Rights rights, String boundTo, Usage usage) {
        LicenseGrant grant = new LicenseGrant(KeyId.of(new byte[16]), "issuer", "content", "A Title", rights,
                boundTo, new byte[48], NOW.minusSeconds(3600));
        return License.of(grant, new byte[32], new byte[64], usage);
    }
}
