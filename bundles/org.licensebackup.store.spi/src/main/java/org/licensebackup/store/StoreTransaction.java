package org.licensebackup.store;

import java.util.Collection;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Changes to a {@link LicenseStore} that take effect all together at {@link #commit()}, or not at
 * all. A transaction is used by one thread.
 */
@ConsumerType
public interface StoreTransaction extends AutoCloseable {

    /** The license with this key ID as this transaction sees it, its own puts and deletes included. */
    Optional<License> find(KeyId keyId);

    /** Puts a batch of licenses, each replacing any license with the same key ID. */
    void put(Collection<License> batch);

    /** Deletes a batch of licenses; key IDs the store does not hold are passed over. */
    void delete(Collection<KeyId> batch);

    /** Makes every change of this transaction durable and visible, at once. */
    void commit();

    /** Ends the transaction; without a {@link #commit()} before, every change is dropped. */
    @Override
    void close();
}
