package org.licensebackup.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.licensebackup.api.Reason;
import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides, license by license, what a backup takes and what a restore writes: by the issuer's
 * rights, by the device a license is bound to, and by whether it is genuine. Thread-safe.
 */
@ProviderType
public interface RightsPolicy {

    /** Why {@code license} must stay out of a backup made at {@code now}, or empty if it may go in. */
    Optional<Reason> excludeFromBackup(License license, Instant now);

    /**
     * What a restore at {@code now} does with a license from a backup, given the store's own copy of
     * it, if any. Stateful licenses never roll back: the store's state wins where it is further along.
     */
    RestoreDecision decideRestore(License fromBackup, Optional<License> inStore, Instant now);

    /**
     * Which device {@code license} is bound to, seen from {@code thisDeviceId}, which writes or reads
     * a backup made on {@code backupDeviceId}. A backup being made is this device's, so both IDs are
     * the same, and every license is then either {@link Binding#THIS_DEVICE} or
     * {@link Binding#ANOTHER_DEVICE}. Since 1.1.
     */
    Binding binding(License license, String thisDeviceId, String backupDeviceId);

    /**
     * Whether each license is genuine: its issuer's signature verifies and the issuer is one the
     * caller trusts (for a restore, the license management service says which). The licenses are
     * checked in parallel on a pool of the policy's own, all cores at once: a restore spends most of
     * its time here, so a caller hands over a batch at a time (a few thousand), not one license.
     * Since 1.1.
     *
     * @param trustedIssuer whether a signer's public key (Ed25519, 32 bytes) belongs to a trusted
     *     issuer; called from several threads at once
     * @return for each index of {@code licenses}, whether that license is genuine
     */
    boolean[] genuine(List<License> licenses, Predicate<byte[]> trustedIssuer);

    /**
     * Why {@code license}, in the store of the device {@code thisDeviceId}, can never be used again,
     * so that store hygiene may remove it; empty when it may still be, or when the store's copy is
     * what keeps a restore from rolling its state of use back. Since 1.2.
     */
    Optional<Reason> neverUsableAgain(License license, String thisDeviceId, Instant now);
}
