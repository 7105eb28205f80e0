package org.licensebackup.restorer.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.store.StoreTransaction;

/**
 * Store hygiene: removes the licenses the rights policy says can never be used again
 * ({@code RightsPolicy.neverUsableAgain}). It reads the store to its end first, then deletes in
 * batches, each its own transaction; a license is reported (event, report) only once its batch is
 * committed, so what is reported removed is removed. A cancel or failure midway leaves the batches
 * before it removed, each of which was right to remove on its own, and a clean can run again.
 */
final class CleanJob extends Job {

    private final int batchSize;

    CleanJob(RunningOperation operation, Collaborators with, int batchSize) {
        super(operation, with);
        this.batchSize = batchSize;
    }

    private record Removal(License license, Reason reason) {
    }

    @Override
    void work() {
        sourceDeviceId = with.device().deviceId();
        total = with.store().count();
        events.begin(null, total);
        Instant now = clock.instant();
        List<Removal> removals = new ArrayList<>();
        try (Stream<License> licenses = with.store().licenses()) {
            Iterator<License> iterator = licenses.iterator();
            while (iterator.hasNext()) {
                checkCancelled();
                License license = iterator.next();
                tally.considered++;
                Optional<Reason> reason = with.policy().neverUsableAgain(license, sourceDeviceId, now);
                reason.ifPresent(why -> removals.add(new Removal(license, why)));
                events.progress(tally.considered, total, 0, license.keyId()::toString);
            }
        }
        for (int from = 0; from < removals.size(); from += batchSize) {
            checkCancelled();
            List<Removal> batch = removals.subList(from, Math.min(removals.size(), from + batchSize));
            List<KeyId> keyIds = batch.stream().map(removal -> removal.license().keyId()).toList();
            try (StoreTransaction transaction = with.store().begin()) {
                transaction.delete(keyIds);
                transaction.commit();
            }
            for (Removal removal : batch) {
                leaveOut(removal.license(), removal.reason());
                tally.succeeded++;
            }
        }
        if (!removals.isEmpty()) {
            // a store that the clean emptied is not one that lost its licenses; one that was empty before is not its to judge
            with.record().change().store(new DeviceRecord.StoreMark(with.storeName(), with.store().count(), clock.instant()))
                    .commit();
        }
    }
}
