package org.licensebackup.restorer.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.store.StoreTransaction;

/**
 * Gives licenses back, all or nothing: those the license management service took back (it frees
 * this device's slot for each) are deleted in a store transaction that commits only once it answered,
 * so a service that cannot be reached leaves the store as it was, and running the release again is
 * harmless. The device record keeps each license given back, written before the service is asked, so
 * that no restore of an older backup brings it back, even after a crash or into a lost store; a
 * license the service did not take back stays here and leaves the record.
 */
final class ReleaseJob extends Job {

    private final List<KeyId> keyIds;

    ReleaseJob(RunningOperation operation, Collaborators with, List<KeyId> keyIds) {
        super(operation, with);
        this.keyIds = List.copyOf(keyIds);
    }

    @Override
    void work() {
        LicenseManagementService service = with.licenseManagement();
        if (service == null) {
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE,
                    "giving licenses back takes a license management service, and none is configured");
        }
        sourceDeviceId = with.device().deviceId();
        total = keyIds.size();
        tally.considered = total;
        events.connecting();
        events.begin(null, total);
        try (StoreTransaction transaction = with.store().begin()) {
            List<License> held = new ArrayList<>(keyIds.size());
            for (KeyId keyId : keyIds) {
                Optional<License> license = transaction.find(keyId);
                if (license.isPresent()) {
                    held.add(license.get());
                } else {
                    notReleased(keyId, "");
                }
            }
            checkCancelled();
            Instant now = clock.instant();
            DeviceRecord.Change giving = with.record().change();
            held.forEach(license -> giving.released(license, now));
            giving.commit();
            Set<KeyId> released;
            try {
                released = held.isEmpty() ? Set.of() : service.release(with.device(), held.stream().map(License::keyId).toList());
            } catch (RuntimeException failed) {
                DeviceRecord.Change keeping = with.record().change();
                held.forEach(keeping::notReleased);
                keeping.commit();
                throw failed;
            } finally {
                events.disconnecting();
            }
            DeviceRecord.Change kept = with.record().change();
            for (License license : held) {
                if (released.contains(license.keyId())) {
                    tally.succeeded++;
                } else {
                    kept.notReleased(license);
                    notReleased(license.keyId(), license.title());
                }
            }
            transaction.delete(held.stream().map(License::keyId).filter(released::contains).toList());
            transaction.commit();
            kept.store(new DeviceRecord.StoreMark(with.storeName(), with.store().count(), now)).commit();
        }
    }

    /** In the report only: a release has no event per license (its topics are BEGIN and END). */
    private void notReleased(KeyId keyId, String title) {
        tally.leftOut(new LicenseOutcome(keyId.toString(), title, Reason.NOT_RELEASED, ""));
    }
}
