package org.licensebackup.api.operator;

/**
 * What can be said of a license in the store at a glance, to show it and to filter a listing by its
 * rights and binding ({@link LicenseQuery#traits()}). Since 1.3.
 */
public enum LicenseTrait {
    /** The issuer lets it be backed up. */
    BACKUP_ALLOWED,
    /** The issuer does not let it be backed up (the default of Windows Media DRM's licenses). */
    BACKUP_NOT_ALLOWED,
    /** Its state changes with use (plays or copies counted, a clock that starts at first use). */
    STATEFUL,
    /** It has an expiry, by date or after first use. */
    EXPIRES,
    /** Its expiry has passed. */
    EXPIRED,
    /** Its validity has not begun yet. */
    NOT_YET_VALID,
    /** Its counted plays or copies are all used. */
    USED_UP,
    /** Its content key is bound to this device. */
    BOUND_HERE,
    /** Its content key is bound to another device: unusable here until a restore re-binds it. */
    BOUND_ELSEWHERE
}
