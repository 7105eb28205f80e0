package org.licensebackup.api.operator;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which licenses a listing shows: all the conditions given hold. Since 1.3.
 *
 * @param titleContains part of the title, any case; empty: any title
 * @param keyIdPrefix the start of the key ID, exactly (base64 tells cases apart); empty: any key ID
 * @param traits traits a license must all have; empty: any
 */
public record LicenseQuery(String titleContains, String keyIdPrefix, Set<LicenseTrait> traits) {

    private static final LicenseQuery ALL = new LicenseQuery("", "", Set.of());

    public LicenseQuery {
        Objects.requireNonNull(titleContains, "titleContains");
        Objects.requireNonNull(keyIdPrefix, "keyIdPrefix");
        traits = Set.copyOf(traits);
    }

    /** Every license. */
    public static LicenseQuery all() {
        return ALL;
    }

    public LicenseQuery withTitleContaining(String part) {
        return new LicenseQuery(part, keyIdPrefix, traits);
    }

    public LicenseQuery withKeyIdStartingWith(String prefix) {
        return new LicenseQuery(titleContains, prefix, traits);
    }

    /** This query, and the license has {@code trait} too. */
    public LicenseQuery with(LicenseTrait trait) {
        Set<LicenseTrait> more = traits.isEmpty() ? EnumSet.noneOf(LicenseTrait.class) : EnumSet.copyOf(traits);
        more.add(Objects.requireNonNull(trait, "trait"));
        return new LicenseQuery(titleContains, keyIdPrefix, more);
    }

    public boolean matches(LicenseSummary license) {
        return license.keyId().startsWith(keyIdPrefix)
                && license.title().toLowerCase(Locale.ROOT).contains(titleContains.toLowerCase(Locale.ROOT))
                && license.traits().containsAll(traits);
    }
}
