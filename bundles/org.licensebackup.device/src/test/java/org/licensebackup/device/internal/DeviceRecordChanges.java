package org.licensebackup.device.internal;

import java.time.Instant;

import org.licensebackup.device.DeviceRecord;
import org.licensebackup.license.Usage;
import org.licensebackup.store.NumberedLicenses;

/** Records of use that follow from a license's number, so a test can tell each one's from the others'. */
final class DeviceRecordChanges {

    private DeviceRecordChanges() {
    }

    static Usage usageOf(int number) {
        return new Usage(1 + number % 9, number % 3, Instant.ofEpochSecond(1_700_000_000L + number));
    }

    /** Records the use of the numbered licenses {@code from} (inclusive) to {@code to} (exclusive), in one change. */
    static void useAll(DeviceRecord record, int from, int to) {
        DeviceRecord.Change change = record.change();
        for (int number = from; number < to; number++) {
            change.used(NumberedLicenses.license(number).withUsage(usageOf(number)));
        }
        change.commit();
    }
}
