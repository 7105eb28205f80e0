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
    NEWER_IN_STORE,
    /**
     * This device gave the license back (released it, freeing its slot) after the backup was made:
     * it comes back only through the license management service, which counts it again. Since 1.4.
     */
    RELEASED,
    /**
     * A release left the license where it was: this device does not hold it, or the license
     * management service does not count it for this device, so giving it back would free no slot.
     * Since 1.4.
     */
    NOT_RELEASED
}
