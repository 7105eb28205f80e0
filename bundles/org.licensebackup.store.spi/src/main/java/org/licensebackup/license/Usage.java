package org.licensebackup.license;

import java.time.Instant;

/**
 * The device's record of how a license has been used: the state that changes with use and that a
 * restore must never roll back. Not signed by the issuer; a backup authenticates it.
 *
 * @param playsUsed plays used so far
 * @param copiesUsed copies made so far
 * @param firstUsedAt the first use, or {@code null} if never used
 */
public record Usage(int playsUsed, int copiesUsed, Instant firstUsedAt) {

    /** A license never used. */
    public static final Usage NONE = new Usage(0, 0, null);

    public Usage {
        if (playsUsed < 0 || copiesUsed < 0) {
            throw new MalformedLicenseException("use counts cannot be negative");
        }
    }

    /** One more play, at {@code now}; the first play starts the first-use clock. */
    public Usage played(Instant now) {
        return new Usage(playsUsed + 1, copiesUsed, firstUsedAt == null ? now : firstUsedAt);
    }

    /** One more copy, at {@code now}. */
    public Usage copied(Instant now) {
        return new Usage(playsUsed, copiesUsed + 1, firstUsedAt == null ? now : firstUsedAt);
    }

    /**
     * Whether this state is at least as far along as {@code other} in every respect: no fewer plays
     * and copies used, and a first use no later than the other's. Use only moves forward, so a
     * state that is not {@code atLeast} another is older in some respect.
     */
    public boolean atLeast(Usage other) {
        return playsUsed >= other.playsUsed
                && copiesUsed >= other.copiesUsed
                && (other.firstUsedAt == null || firstUsedAt != null && !firstUsedAt.isAfter(other.firstUsedAt));
    }

    /** The furthest state of the two in every respect: what no restore may go below. */
    public Usage furthest(Usage other) {
        Instant first = firstUsedAt == null ? other.firstUsedAt
                : other.firstUsedAt == null || firstUsedAt.isBefore(other.firstUsedAt) ? firstUsedAt : other.firstUsedAt;
        return new Usage(Math.max(playsUsed, other.playsUsed), Math.max(copiesUsed, other.copiesUsed), first);
    }
}
