package org.licensebackup.policy;

import java.util.Optional;

import org.licensebackup.api.Reason;

/**
 * Which device a license is bound to, as the device that writes or reads a backup sees it: that
 * decides who can open the license's content key. Since 1.1.
 */
public enum Binding {

    /** Bound to this device: its content key opens here as it is. */
    THIS_DEVICE(Optional.empty()),

    /**
     * Bound to the device that made the backup, which is another one: only the license management
     * service can re-bind it to this device.
     */
    BACKUP_DEVICE(Optional.empty()),

    /**
     * Bound to neither: nothing here can open its content key, so a backup or a restore leaves it
     * out, for {@link Reason#BOUND_TO_ANOTHER_DEVICE}.
     */
    ANOTHER_DEVICE(Optional.of(Reason.BOUND_TO_ANOTHER_DEVICE));

    private final Optional<Reason> whyLeftOut;

    Binding(Optional<Reason> whyLeftOut) {
        this.whyLeftOut = whyLeftOut;
    }

    /** Why a license bound so is left out of a backup or a restore, or empty when it may go on. */
    public Optional<Reason> whyLeftOut() {
        return whyLeftOut;
    }
}
