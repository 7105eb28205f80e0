package org.licensebackup.api;

/** How an operation ended, as its {@code END} event says. */
public enum OperationStatus {
    COMPLETED,
    CANCELLED,
    FAILED
}
