package org.licensebackup.api;

/** Why one license was left out of a backup or a restore. */
public enum Reason {
    /** The issuer did not grant the right to back up (the default). */
    BACKUP_NOT_ALLOWED,
    /** The license has expired. */
    EXPIRED,
    /** The license's content key is not bound to this device, so this device cannot back it up. */
    BOUND_TO_ANOTHER_DEVICE,
    /** The issuer's signature does not verify, or the signer is not trusted. */
    SIGNATURE_INVALID,
    /** The license was already restored to as many devices as the license management service allows. */
    DEVICE_LIMIT_REACHED,
    /** The store holds a newer state of this license (fewer plays left, an earlier first use): kept as it is. */
    NEWER_IN_STORE
}
