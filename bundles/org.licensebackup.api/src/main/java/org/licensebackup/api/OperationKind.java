package org.licensebackup.api;

/** What an operation does. */
public enum OperationKind {
    BACKUP,
    RESTORE,
    /** Checks a backup as a restore would, writing nothing. */
    VERIFY
}
