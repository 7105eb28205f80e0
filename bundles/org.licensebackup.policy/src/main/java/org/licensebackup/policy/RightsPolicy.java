package org.licensebackup.policy;

import java.time.Instant;
import java.util.Optional;

import org.licensebackup.api.Reason;
import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ProviderType;

/** Decides, license by license, what a backup takes and what a restore writes. Thread-safe. */
@ProviderType
public interface RightsPolicy {

    /** Why {@code license} must stay out of a backup made at {@code now}, or empty if it may go in. */
    Optional<Reason> excludeFromBackup(License license, Instant now);

    /**
     * What a restore at {@code now} does with a license from a backup, given the store's own copy of
     * it, if any. Stateful licenses never roll back: the store's state wins where it is further along.
     */
    RestoreDecision decideRestore(License fromBackup, Optional<License> inStore, Instant now);
}
