package org.licensebackup.api;

/**
 * How to restore.
 *
 * @param rebindConsent the host's consent (after asking the user) that licenses backed up on
 *     another device are re-bound to this one, which uses one of each license's device allowance;
 *     without it a backup from another device fails with {@link ErrorCode#REBIND_NOT_CONSENTED}
 */
public record RestoreOptions(boolean rebindConsent) {

    /** Restores backups of this device only. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(false);
    }

    public static RestoreOptions withRebindConsent() {
        return new RestoreOptions(true);
    }
}
