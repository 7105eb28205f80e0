package org.licensebackup.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What this device remembers beside its keys, so that it outlives a lost or swapped license store:
 * the licenses it gave back, the furthest record of use it has seen of each license, and the store it
 * last used with how many licenses that store held. Kept in a file beside the key file, authenticated
 * with a key derived from the device key (a changed, swapped or truncated file is refused as a
 * damaged key is); {@code docs/device-record.md} gives its layout and rules.
 *
 * <p>Readers see the state of the last commit; {@link #change()} makes the next one. Since 1.2.
 */
@ProviderType
public interface DeviceRecord {

    /**
     * When this device gave back this very license (its key ID, issued as it is: a license issued
     * again, or re-bound by a license management service, is another one), if it did.
     */
    Optional<Instant> releasedAt(License license);

    /** The furthest record of use this device has seen of the license with this key ID; {@link Usage#NONE} if none. */
    Usage usageSeen(KeyId keyId);

    /** The store this device last used, and how many licenses it held then; empty before the first use recorded. */
    Optional<StoreMark> lastStore();

    /** Starts a change; nothing of it is kept until {@link Change#commit()}. */
    Change change();

    /** Changes to the record, made durable together (write, force, rename) by {@link #commit()}. */
    @ProviderType
    interface Change {

        /** Records that this device gave {@code license} back at {@code at}. */
        Change released(License license, Instant at);

        /** Takes back {@link #released}: the license was not given back after all. */
        Change notReleased(License license);

        /** Raises the record of use seen of {@code license}'s key ID to its usage, where that is further. */
        Change used(License license);

        /** Records the store in use and how many licenses it holds now. */
        Change store(StoreMark mark);

        /**
         * Makes the changes durable and visible to readers.
         *
         * @throws DeviceRecordException when the record cannot be written; the previous one stays
         */
        void commit();
    }

    /**
     * A store as the device last saw it.
     *
     * @param store the store's name (its {@code licensebackup.store.name}, or its class)
     * @param licenses how many licenses it held
     * @param at when
     */
    record StoreMark(String store, long licenses, Instant at) {
        public StoreMark {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(at, "at");
            if (licenses < 0) {
                throw new IllegalArgumentException("a negative count of licenses: " + licenses);
            }
        }
    }
}
