package org.licensebackup.api;

/** What an operation does. */
public enum OperationKind {
    BACKUP,
    RESTORE
}
