package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;

/**
 * What an operation did to each license, counted as it goes. Lists at most {@code maxListed} of the
 * licenses left out, so memory stays bounded whatever the store's size; the events name every one.
 */
final class Tally {

    private final int maxListed;
    private final Map<Reason, Long> leftOutByReason = new EnumMap<>(Reason.class);
    private final List<LicenseOutcome> leftOut = new ArrayList<>();
    private long leftOutNotListed;
    private OptionalInt fewestDevicesLeft = OptionalInt.empty();
    long considered;
    long succeeded;
    long unchanged;

    Tally(int maxListed) {
        this.maxListed = maxListed;
    }

    void leftOut(LicenseOutcome outcome) {
        leftOutByReason.merge(outcome.reason(), 1L, Long::sum);
        if (leftOut.size() < maxListed) {
            leftOut.add(outcome);
        } else {
            leftOutNotListed++;
        }
    }

    /** Notes how many more new devices one license may go to, keeping the fewest. */
    void devicesLeft(int remaining) {
        if (fewestDevicesLeft.isEmpty() || remaining < fewestDevicesLeft.getAsInt()) {
            fewestDevicesLeft = OptionalInt.of(remaining);
        }
    }

    long leftOutCount() {
        return leftOut.size() + leftOutNotListed;
    }

    Report report(String operationId, OperationKind kind, Path backupFile, long bytes, String sourceDeviceId,
            Duration elapsed) {
        return new Report(operationId, kind, backupFile, considered, succeeded, unchanged, leftOutByReason, leftOut,
                leftOutNotListed, bytes, sourceDeviceId, elapsed, fewestDevicesLeft);
    }
}
