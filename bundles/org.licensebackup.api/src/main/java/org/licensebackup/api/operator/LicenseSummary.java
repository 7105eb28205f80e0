package org.licensebackup.api.operator;

import org.licensebackup.api.LicenseOutcome;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One license in the store, as an operator or a host's user sees it; no key material. Since 1.3.
 *
 * @param keyId the key ID, base64 as {@link LicenseOutcome#keyId()} shows it
 * @param title the content's title
 * @param contentId the content's ID
 * @param issuer the name of the license server that issued it
 * @param boundDeviceId the device its content key is bound to
 * @param notBefore when it becomes valid, if the issuer said
 * @param expiry when it stops being usable given its use so far, if ever
 * @param playsLeft plays left, empty for unlimited
 * @param copiesLeft copies left, empty for unlimited
 * @param traits what can be said of it at a glance (rights and binding)
 */
public record LicenseSummary(
        String keyId,
        String title,
        String contentId,
        String issuer,
        String boundDeviceId,
        Optional<Instant> notBefore,
        Optional<Instant> expiry,
        OptionalInt playsLeft,
        OptionalInt copiesLeft,
        Set<LicenseTrait> traits) {

    public LicenseSummary {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(boundDeviceId, "boundDeviceId");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(playsLeft, "playsLeft");
        Objects.requireNonNull(copiesLeft, "copiesLeft");
        traits = Set.copyOf(traits);
    }

    public boolean has(LicenseTrait trait) {
        return traits.contains(trait);
    }
}
