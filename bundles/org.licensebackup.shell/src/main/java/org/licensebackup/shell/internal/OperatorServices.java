package org.licensebackup.shell.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.operator.HostStatusService;
import org.licensebackup.api.operator.LicenseCatalog;

/**
 * The services an operator's command uses, each looked up when the command needs it, and the checks
 * that the home's parts are there.
 *
 * @param deviceReady returns once this device's identity serves; throws the one-line reason (a damaged
 *     key file: BAD_DATA) when it does not
 * @param storeReady returns once a license store serves; throws the one-line reason when none does
 * @param storeFailure why the store's component failed to start, if it did (a damaged file, a database
 *     that does not answer), at once, for a status that shows the store as missing
 */
record OperatorServices(
        Supplier<BackupRestorer> restorer,
        Supplier<LicenseCatalog> catalog,
        Supplier<HostStatusService> status,
        Runnable deviceReady,
        Runnable storeReady,
        Supplier<Optional<String>> storeFailure) {

    OperatorServices {
        Objects.requireNonNull(restorer, "restorer");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(deviceReady, "deviceReady");
        Objects.requireNonNull(storeReady, "storeReady");
        Objects.requireNonNull(storeFailure, "storeFailure");
    }
}
