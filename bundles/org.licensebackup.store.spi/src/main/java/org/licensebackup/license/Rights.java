package org.licensebackup.license;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the issuer allows, as signed in the grant. Absent limits ({@code null}) mean no limit.
 *
 * @param backupAllowed whether the license may be backed up and restored (Windows Media's
 *     {@code AllowBackupRestore}; not allowed unless the issuer says so)
 * @param notBefore the license is not valid before this instant, or {@code null}
 * @param notAfter the license expires at this instant, or {@code null}
 * @param validAfterFirstUse the license expires this long after its first use, or {@code null}
 * @param playCount how many plays the issuer granted, or {@code null} for unlimited
 * @param copyCount how many copies the issuer granted, or {@code null} for unlimited
 */
public record Rights(
        boolean backupAllowed,
        Instant notBefore,
        Instant notAfter,
        Duration validAfterFirstUse,
        Integer playCount,
        Integer copyCount) {

    public Rights {
        if (playCount != null && playCount < 0 || copyCount != null && copyCount < 0) {
            throw new MalformedLicenseException("counted rights cannot be negative");
        }
        if (validAfterFirstUse != null && validAfterFirstUse.isNegative()) {
            throw new MalformedLicenseException("a validity after first use cannot be negative");
        }
    }

    /** No limits, and no backup right: what an issuer grants unless it says more. */
    public static Rights unlimited() {
        return new Rights(false, null, null, null, null, null);
    }

    public Rights withBackupAllowed(boolean allowed) {
        return new Rights(allowed, notBefore, notAfter, validAfterFirstUse, playCount, copyCount);
    }

    public Rights withNotAfter(Instant instant) {
        return new Rights(backupAllowed, notBefore, instant, validAfterFirstUse, playCount, copyCount);
    }

    public Rights withNotBefore(Instant instant) {
        return new Rights(backupAllowed, instant, notAfter, validAfterFirstUse, playCount, copyCount);
    }

    public Rights withValidAfterFirstUse(Duration duration) {
        return new Rights(backupAllowed, notBefore, notAfter, duration, playCount, copyCount);
    }

    public Rights withPlayCount(Integer count) {
        return new Rights(backupAllowed, notBefore, notAfter, validAfterFirstUse, count, copyCount);
    }

    public Rights withCopyCount(Integer count) {
        return new Rights(backupAllowed, notBefore, notAfter, validAfterFirstUse, playCount, count);
    }

    /** Whether use changes this license's state (counts, a first-use clock). */
    public boolean stateful() {
        return validAfterFirstUse != null || playCount != null || copyCount != null;
    }

    /**
     * When the license stops being usable given its use so far: the earlier of its expiry date and
     * its first use plus its validity after first use.
     */
    public Optional<Instant> expiry(Usage usage) {
        Instant afterFirstUse = validAfterFirstUse == null || usage.firstUsedAt() == null
                ? null
                : usage.firstUsedAt().plus(validAfterFirstUse);
        if (notAfter == null) {
            return Optional.ofNullable(afterFirstUse);
        }
        return Optional.of(afterFirstUse == null || notAfter.isBefore(afterFirstUse) ? notAfter : afterFirstUse);
    }

    /** Plays left after {@code usage}, or empty for unlimited. */
    public OptionalInt playsLeft(Usage usage) {
        return playCount == null ? OptionalInt.empty() : OptionalInt.of(Math.max(0, playCount - usage.playsUsed()));
    }

    /** Copies left after {@code usage}, or empty for unlimited. */
    public OptionalInt copiesLeft(Usage usage) {
        return copyCount == null ? OptionalInt.empty() : OptionalInt.of(Math.max(0, copyCount - usage.copiesUsed()));
    }
}
