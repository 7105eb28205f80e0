package org.licensebackup.api;

/** What an operation does. */
public enum OperationKind {
    BACKUP,
    RESTORE,
    /** Checks a backup as a restore would, writing nothing. */
    VERIFY,
    /** Gives licenses back to the license management service, freeing this device's slot, and deletes them here. */
    RELEASE,
    /** Removes from the store the licenses that can never be used again ({@link org.licensebackup.api.hygiene.StoreHygiene}). Since API 1.3. */
    CLEAN
}
