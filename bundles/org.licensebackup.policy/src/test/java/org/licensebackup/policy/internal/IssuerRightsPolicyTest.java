package org.licensebackup.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.licensebackup.api.Reason;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.policy.RestoreDecision;
import org.junit.jupiter.api.Test;

class IssuerRightsPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Rights BACKUP_ALLOWED = Rights.unlimited().withBackupAllowed(true);

    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();

    @Test
    void excludesALicenseWhoseIssuerDidNotAllowBackup() {
        assertEquals(Optional.of(Reason.BACKUP_NOT_ALLOWED),
                policy.excludeFromBackup(license(Rights.unlimited(), Usage.NONE), NOW));
    }

    @Test
    void excludesAnExpiredLicense() {
        assertEquals(Optional.of(Reason.EXPIRED),
                policy.excludeFromBackup(license(BACKUP_ALLOWED.withNotAfter(NOW.minusSeconds(1)), Usage.NONE), NOW));
    }

    @Test
    void excludesALicenseExpiredSinceItsFirstUse() {
        Rights dayAfterFirstUse = BACKUP_ALLOWED.withValidAfterFirstUse(Duration.ofDays(1));
        Usage usedTwoDaysAgo = new Usage(1, 0, NOW.minus(Duration.ofDays(2)));
        assertEquals(Optional.of(Reason.EXPIRED), policy.excludeFromBackup(license(dayAfterFirstUse, usedTwoDaysAgo), NOW));
    }

    @Test
    void backsUpALicenseNotYetValid() {
        assertEquals(Optional.empty(),
                policy.excludeFromBackup(license(BACKUP_ALLOWED.withNotBefore(NOW.plusSeconds(3600)), Usage.NONE), NOW));
    }

    @Test
    void backsUpALicenseThatAllowsItAndIsValid() {
        assertEquals(Optional.empty(),
                policy.excludeFromBackup(license(BACKUP_ALLOWED.withNotAfter(NOW.plusSeconds(60)), Usage.NONE), NOW));
    }

    @Test
    void restoresALicenseTheStoreDoesNotHold() {
        Usage used = new Usage(2, 0, NOW.minusSeconds(100));
        assertEquals(new RestoreDecision.Restore(used),
                policy.decideRestore(license(BACKUP_ALLOWED.withPlayCount(5), used), Optional.empty(), NOW));
    }

    @Test
    void leavesALicenseInTheSameStateUnchanged() {
        License license = license(BACKUP_ALLOWED.withPlayCount(5), new Usage(2, 0, NOW));
        assertEquals(new RestoreDecision.Unchanged(), policy.decideRestore(license, Optional.of(license), NOW));
    }

    @Test
    void neverGivesBackPlaysAlreadyUsed() {
        License backedUp = license(BACKUP_ALLOWED.withPlayCount(5), new Usage(1, 0, NOW.minusSeconds(50)));
        License stored = backedUp.withUsage(new Usage(4, 0, NOW.minusSeconds(50)));
        assertEquals(new RestoreDecision.Reject(Reason.NEWER_IN_STORE),
                policy.decideRestore(backedUp, Optional.of(stored), NOW));
    }

    @Test
    void keepsTheFurthestStateWhereBackupAndStoreEachAreAheadInSomething() {
        License backedUp = license(BACKUP_ALLOWED.withPlayCount(5).withCopyCount(3), new Usage(1, 2, NOW.minusSeconds(50)));
        License stored = backedUp.withUsage(new Usage(3, 0, NOW.minusSeconds(10)));
        assertEquals(new RestoreDecision.Restore(new Usage(3, 2, NOW.minusSeconds(50))),
                policy.decideRestore(backedUp, Optional.of(stored), NOW));
    }

    @Test
    void rejectsALicenseThatExpiredSinceTheBackup() {
        License backedUp = license(BACKUP_ALLOWED.withNotAfter(NOW.minusSeconds(1)), Usage.NONE);
        assertEquals(new RestoreDecision.Reject(Reason.EXPIRED), policy.decideRestore(backedUp, Optional.empty(), NOW));
    }

    @Test
    void rejectsALicenseWithoutTheBackupRight() {
        assertEquals(new RestoreDecision.Reject(Reason.BACKUP_NOT_ALLOWED),
                policy.decideRestore(license(Rights.unlimited(), Usage.NONE), Optional.empty(), NOW));
    }

    @Test
    void judgesExpiryAfterFirstUseOnTheStoresEarlierFirstUse() {
        Rights hourAfterFirstUse = BACKUP_ALLOWED.withValidAfterFirstUse(Duration.ofHours(1));
        License backedUp = license(hourAfterFirstUse, Usage.NONE);
        License stored = backedUp.withUsage(new Usage(1, 0, NOW.minus(Duration.ofHours(2))));
        assertEquals(new RestoreDecision.Reject(Reason.EXPIRED), policy.decideRestore(backedUp, Optional.of(stored), NOW));
    }

    private static License license(Rights rights, Usage usage) {
        LicenseGrant grant = new LicenseGrant(KeyId.of(new byte[16]), "issuer", "content", "A Title", rights,
                "device", new byte[48], NOW.minusSeconds(3600));
        return License.of(grant, new byte[32], new byte[64], usage);
    }
}
