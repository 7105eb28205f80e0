package org.licensebackup.store;

import java.util.Optional;
import java.util.stream.Stream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;

/**
 * A store that hands every call to another one: the base of a component that registers a store it
 * opened, and of a decorator that changes one call (counts, gates, injects a fault) and leaves the
 * others as they are.
 */
public abstract class ForwardingLicenseStore implements LicenseStore {

    /** The store that answers: may change from call to call (a component reopened, say). */
    protected abstract LicenseStore delegate();

    @Override
    public long count() {
        return delegate().count();
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        return delegate().find(keyId);
    }

    @Override
    public Stream<License> licenses() {
        return delegate().licenses();
    }

    @Override
    public StoreTransaction begin() {
        return delegate().begin();
    }
}
