package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.api.Reason;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.format.BackupRecord;
import org.licensebackup.format.BackupSigner;
import org.licensebackup.format.BackupWriter;
import org.licensebackup.format.ServiceRecipient;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.ServiceKeys;

/**
 * Streams the store into a new backup file: each license the rights policy lets go, as it is. The
 * file key is wrapped for this device, which can then restore it alone, and, when the host has a
 * license management service, for that service too, with the device's key escrowed once for it.
 * A backup job writes one so; a restore over a non-empty store writes one first, as a safety backup.
 */
final class StoreSnapshot {

    /** What the writing tells its job, license by license. */
    interface Listener {
        /** Called before each license and before the commit; throws to cancel. */
        void checkCancelled();

        void excluded(License license, Reason reason);

        void written(License license);

        /** After each license, with the bytes written so far. */
        void progress(License license, long bytes);
    }

    private final Collaborators with;

    StoreSnapshot(Collaborators with) {
        this.with = with;
    }

    /**
     * Writes the backup and commits it; returns its size in bytes. What the device saw on the way, the
     * licenses' records of use and how many the store held, goes into its record once the backup is
     * committed.
     *
     * @throws org.licensebackup.api.BackupRestoreException {@code STORE_UNAVAILABLE}, before anything
     *     is written, when the store lost its licenses ({@link StoreLoss})
     */
    long write(Path target, boolean overwrite, Instant now, Listener listener) throws IOException {
        long held = with.store().count();
        StoreLoss.refuseBackupOf(with, held);
        DeviceRecord.Change seen = with.record().change();
        DeviceIdentity device = with.device();
        String deviceId = device.deviceId();
        ServiceRecipient service = serviceRecipient(device);
        try (BackupWriter writer = BackupWriter.create(target, overwrite, deviceId, deviceSigner(device),
                device.agreementPublicKey(), service, now);
                Stream<License> licenses = with.store().licenses()) {
            Iterator<License> iterator = licenses.iterator();
            while (iterator.hasNext()) {
                listener.checkCancelled();
                License license = iterator.next();
                seen.used(license);
                Optional<Reason> exclusion = whyExcluded(license, deviceId, now);
                if (exclusion.isPresent()) {
                    listener.excluded(license, exclusion.get());
                } else {
                    writer.write(new BackupRecord(LicenseCodec.encode(license)));
                    listener.written(license);
                }
                listener.progress(license, writer.bytesWritten());
            }
            listener.checkCancelled();
            writer.commit();
            seen.store(new DeviceRecord.StoreMark(with.storeName(), held, now)).commit();
            return writer.bytesWritten();
        }
    }

    /**
     * The license management service that the backup is also for, so that another device can restore
     * it; null when the host has none, and then only this device can.
     */
    private ServiceRecipient serviceRecipient(DeviceIdentity device) {
        LicenseManagementService service = with.licenseManagement();
        if (service == null) {
            return null;
        }
        ServiceKeys keys = service.keys();
        return ServiceRecipient.of(keys.agreementKey(), keys.signingKey(), device.escrowAgreementKey(keys.agreementKey()));
    }

    private Optional<Reason> whyExcluded(License license, String deviceId, Instant now) {
        Optional<Reason> byRights = with.policy().excludeFromBackup(license, now);
        if (byRights.isPresent()) {
            return byRights;
        }
        // The backup is this device's own: it is both the device writing and the device of the backup.
        return with.policy().binding(license, deviceId, deviceId).whyLeftOut();
    }

    static BackupSigner deviceSigner(DeviceIdentity device) {
        return new BackupSigner() {
            @Override
            public byte[] publicKey() {
                return device.signingPublicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return device.sign(message);
            }
        };
    }
}
