package org.licensebackup.policy;

import java.util.Objects;

import org.licensebackup.api.Reason;
import org.licensebackup.license.Usage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a restore does with one license from a backup. Sealed: this package defines every kind of
 * decision, and callers take them apart.
 */
@ProviderType
public sealed interface RestoreDecision {

    /** Write the license, with this record of use (the furthest of the backup's and the store's). */
    record Restore(Usage usage) implements RestoreDecision {
        public Restore {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The store already holds this license in the same state: write nothing. */
    record Unchanged() implements RestoreDecision {
    }

    /** Leave the license out, and report why. */
    record Reject(Reason reason) implements RestoreDecision {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
