package org.licensebackup.restorer.internal;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.device.DeviceRecord;

/**
 * A store that lost its licenses: the device record shows that the store this device last used held
 * licenses, and the store in use now holds none (its file deleted or emptied, or another store put in
 * its place). A backup of it would replace good backups with empty ones, and retention would then
 * delete the rest, so none is written; a restore into it is the way back.
 */
final class StoreLoss {

    private StoreLoss() {
    }

    /** What is wrong with the store in use, if it lost its licenses. */
    static Optional<String> of(DeviceRecord record, String storeName, long held) {
        if (held > 0) {
            return Optional.empty();
        }
        return record.lastStore().filter(mark -> mark.licenses() > 0).map(mark -> {
            String what = mark.store().equals(storeName)
                    ? "the license store " + storeName + " holds no licenses, but it held " + licenses(mark.licenses())
                            + " on " + mark.at().truncatedTo(ChronoUnit.SECONDS) + ": it was deleted or emptied"
                    : "the license store " + storeName + " holds no licenses; the store this device used before, "
                            + mark.store() + ", held " + licenses(mark.licenses()) + " on " + mark.at().truncatedTo(ChronoUnit.SECONDS);
            return what + "; restore your newest backup (restore DIR) to bring them back";
        });
    }

    private static String licenses(long count) {
        return String.format("%,d %s", count, count == 1 ? "license" : "licenses");
    }

    /** @throws BackupRestoreException {@code STORE_UNAVAILABLE} when the store lost its licenses */
    static void refuseBackupOf(Collaborators with, long held) {
        Optional<String> loss = of(with.record(), with.storeName(), held);
        if (loss.isPresent()) {
            throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, loss.get()
                    + "; no backup is written, so that none of your backups is replaced by an empty one");
        }
    }
}
