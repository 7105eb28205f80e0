package org.licensebackup.restorer.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Report;
import org.licensebackup.events.OperationEvents;

/** The events of one operation, as names ("BEGIN", "END COMPLETED"...) and the licenses left out. */
final class RecordingEvents implements OperationEvents {

    final List<String> names = new ArrayList<>();
    final List<LicenseOutcome> leftOut = new ArrayList<>();
    /** The counts END carried, once it came. */
    Report endCounts;
    /** Whether the operation's promise was settled when END was posted; null until END. */
    Boolean promiseSettledAtEnd;
    /** Asked at END: whether the operation's promise is settled. */
    BooleanSupplier promiseSettled = () -> false;

    @Override
    public void connecting() {
        names.add("CONNECTING");
    }

    @Override
    public void begin(Path location, long total) {
        names.add("BEGIN");
    }

    @Override
    public void progress(long done, long total, long bytes, Supplier<String> currentKeyId) {
    }

    @Override
    public void leftOut(LicenseOutcome outcome) {
        leftOut.add(outcome);
    }

    @Override
    public void disconnecting() {
        names.add("DISCONNECTING");
    }

    @Override
    public void end(OperationStatus status, ErrorCode error, String message, long total, Report counts) {
        names.add("END " + status + (error == null ? "" : " " + error));
        endCounts = counts;
        promiseSettledAtEnd = promiseSettled.getAsBoolean();
    }
}
