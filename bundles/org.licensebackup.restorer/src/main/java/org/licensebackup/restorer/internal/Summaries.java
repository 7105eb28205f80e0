package org.licensebackup.restorer.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.policy.Binding;

/** A license as an operator sees it: what its rights and binding say now, without key material. */
final class Summaries {

    private Summaries() {
    }

    /** @param binding where the rights policy says its content key is bound, this device's view */
    static LicenseSummary of(License license, Binding binding, Instant now) {
        Rights rights = license.rights();
        Optional<Instant> expiry = rights.expiry(license.usage());
        OptionalInt playsLeft = rights.playsLeft(license.usage());
        OptionalInt copiesLeft = rights.copiesLeft(license.usage());
        Set<LicenseTrait> traits = EnumSet.noneOf(LicenseTrait.class);
        traits.add(rights.backupAllowed() ? LicenseTrait.BACKUP_ALLOWED : LicenseTrait.BACKUP_NOT_ALLOWED);
        if (rights.stateful()) {
            traits.add(LicenseTrait.STATEFUL);
        }
        if (expiry.isPresent() || rights.validAfterFirstUse() != null) {
            traits.add(LicenseTrait.EXPIRES);
        }
        if (expiry.isPresent() && !now.isBefore(expiry.get())) {
            traits.add(LicenseTrait.EXPIRED);
        }
        if (rights.notBefore() != null && now.isBefore(rights.notBefore())) {
            traits.add(LicenseTrait.NOT_YET_VALID);
        }
        if (isZero(playsLeft) || isZero(copiesLeft) && playsLeft.isEmpty()) {
            traits.add(LicenseTrait.USED_UP);
        }
        traits.add(binding == Binding.ANOTHER_DEVICE ? LicenseTrait.BOUND_ELSEWHERE : LicenseTrait.BOUND_HERE);
        return new LicenseSummary(license.keyId().toString(), license.title(), license.grant().contentId(),
                license.grant().issuer(), license.grant().deviceId(), Optional.ofNullable(rights.notBefore()), expiry,
                playsLeft, copiesLeft, traits);
    }

    private static boolean isZero(OptionalInt count) {
        return count.isPresent() && count.getAsInt() == 0;
    }
}
