package org.licensebackup.store.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;

/**
 * A {@link LicenseStore} in memory, ordered by key ID. Transactions collect their changes privately
 * and apply them all at once on commit. Not for stores larger than the heap.
 */
public final class InMemoryLicenseStore implements LicenseStore {

    private final ConcurrentSkipListMap<KeyId, License> licenses = new ConcurrentSkipListMap<>();
    private final Object commitLock = new Object();

    @Override
    public long count() {
        return licenses.size();
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        return Optional.ofNullable(licenses.get(keyId));
    }

    @Override
    public Stream<License> licenses() {
        return licenses.values().stream();
    }

    @Override
    public StoreTransaction begin() {
        return new Transaction();
    }

    private final class Transaction implements StoreTransaction {

        /** A key ID mapped to empty is deleted by this transaction. */
        private final Map<KeyId, Optional<License>> changes = new HashMap<>();
        private boolean ended;

        @Override
        public Optional<License> find(KeyId keyId) {
            requireOpen();
            Optional<License> changed = changes.get(keyId);
            return changed != null ? changed : InMemoryLicenseStore.this.find(keyId);
        }

        @Override
        public void put(Collection<License> batch) {
            requireOpen();
            List<License> copy = new ArrayList<>(batch);
            copy.forEach(license -> changes.put(license.keyId(), Optional.of(license)));
        }

        @Override
        public void delete(Collection<KeyId> batch) {
            requireOpen();
            batch.forEach(keyId -> changes.put(keyId, Optional.empty()));
        }

        @Override
        public void commit() {
            requireOpen();
            synchronized (commitLock) {
                changes.forEach((keyId, license) -> {
                    if (license.isPresent()) {
                        licenses.put(keyId, license.get());
                    } else {
                        licenses.remove(keyId);
                    }
                });
            }
            ended = true;
        }

        @Override
        public void close() {
            ended = true;
            changes.clear();
        }

        private void requireOpen() {
            if (ended) {
                throw new StoreException("the transaction has ended");
            }
        }
    }
}
