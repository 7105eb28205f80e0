package org.licensebackup.restorer.internal;

import java.util.List;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.store.StoreTransaction;

/**
 * Gives licenses back, all or nothing: they are deleted in a store transaction that commits only
 * once the license management service has freed this device's slot for each, so a service that
 * cannot be reached leaves the store as it was, and running the release again is harmless.
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
        events.connecting();
        events.begin(null, total);
        try (StoreTransaction transaction = with.store().begin()) {
            List<KeyId> held = keyIds.stream().filter(keyId -> transaction.find(keyId).isPresent()).toList();
            transaction.delete(held);
            checkCancelled();
            try {
                service.release(with.device(), keyIds);
            } finally {
                events.disconnecting();
            }
            transaction.commit();
            tally.considered = total;
            tally.succeeded = held.size();
        }
    }
}
