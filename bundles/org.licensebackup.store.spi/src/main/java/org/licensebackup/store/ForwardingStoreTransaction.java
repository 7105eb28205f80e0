package org.licensebackup.store;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;

/**
 * A transaction that hands every call to another one: the base of a decorator that changes one call
 * (a {@link ForwardingLicenseStore}'s {@code begin()}, say) and leaves the others as they are.
 */
public class ForwardingStoreTransaction implements StoreTransaction {

    private final StoreTransaction delegate;

    public ForwardingStoreTransaction(StoreTransaction delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        return delegate.find(keyId);
    }

    @Override
    public void put(Collection<License> batch) {
        delegate.put(batch);
    }

    @Override
    public void delete(Collection<KeyId> batch) {
        delegate.delete(batch);
    }

    @Override
    public void commit() {
        delegate.commit();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
