package org.licensebackup.restorer.internal;

import java.util.stream.Stream;

import org.licensebackup.license.License;
import org.licensebackup.store.ForwardingLicenseStore;
import org.licensebackup.store.ForwardingStoreTransaction;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;

/**
 * A store whose stream of licenses fails after {@code readable} of them, as a disk that went
 * away would fail it, and, if asked, whose transactions fail to commit.
 */
final class FailingStore extends ForwardingLicenseStore {

    private final LicenseStore store;
    private final long readable;
    private final boolean commitFails;

    FailingStore(LicenseStore store, long readable, boolean commitFails) {
        this.store = store;
        this.readable = readable;
        this.commitFails = commitFails;
    }

    @Override
    protected LicenseStore delegate() {
        return store;
    }

    @Override
    public Stream<License> licenses() {
        long[] read = {0};
        return store.licenses().peek(license -> {
            if (++read[0] > readable) {
                throw new StoreException("injected: the store's disk went away");
            }
        });
    }

    @Override
    public StoreTransaction begin() {
        return new ForwardingStoreTransaction(store.begin()) {
            @Override
            public void commit() {
                if (commitFails) {
                    throw new StoreException("injected: the commit could not be written");
                }
                super.commit();
            }
        };
    }
}
