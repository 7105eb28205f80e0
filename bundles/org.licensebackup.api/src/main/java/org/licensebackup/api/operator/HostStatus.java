package org.licensebackup.api.operator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where this host stands. Since 1.3.
 *
 * @param storeName the license store in use (its {@code licensebackup.store.name}, or its class), empty when none
 * @param licenseCount how many licenses it holds; empty when there is no store or it cannot be read
 * @param storeProblem why the store could not be read, empty when it could
 * @param deviceId this device's ID
 * @param recentOperations the last operations that ended, newest first (at most {@link #RECENT})
 * @param lastGoodBackup the newest backup that completed, if any since the service started
 * @param fewestDevicesLeft the allowance where known: of the licenses the newest verify of a backup from another
 *     device looked at, how many more new devices the most used one may still go to
 */
public record HostStatus(
        String storeName,
        OptionalLong licenseCount,
        String storeProblem,
        String deviceId,
        List<OperationRecord> recentOperations,
        Optional<OperationRecord> lastGoodBackup,
        OptionalInt fewestDevicesLeft) {

    /** How many operations {@link #recentOperations()} keeps. */
    public static final int RECENT = 10;

    public HostStatus {
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(licenseCount, "licenseCount");
        Objects.requireNonNull(storeProblem, "storeProblem");
        Objects.requireNonNull(deviceId, "deviceId");
        recentOperations = List.copyOf(recentOperations);
        Objects.requireNonNull(lastGoodBackup, "lastGoodBackup");
        Objects.requireNonNull(fewestDevicesLeft, "fewestDevicesLeft");
    }
}
