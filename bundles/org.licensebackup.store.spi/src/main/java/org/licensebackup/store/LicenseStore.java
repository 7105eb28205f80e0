package org.licensebackup.store;

import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A device's local license store. Hosts implement it and register it as an OSGi service; the
 * {@code BackupRestorer} uses the one with the highest {@code service.ranking}. An operation keeps
 * the store it started with even if another is registered meanwhile.
 *
 * <p>Implementations are thread-safe, and every method fails with {@link StoreException} when the
 * store cannot do what is asked.
 */
@ConsumerType
public interface LicenseStore {

    /** How many licenses the store holds. */
    long count();

    /** The license with this key ID, if the store holds one. */
    Optional<License> find(KeyId keyId);

    /**
     * Every license, read lazily so that memory stays bounded however large the store; the caller
     * closes the stream. Licenses put while the stream is open may or may not be seen.
     */
    Stream<License> licenses();

    /**
     * Starts a transaction: what is put and deleted through it is seen by others only once it
     * commits, all of it at once, and not at all if it is closed without commit.
     */
    StoreTransaction begin();
}
