package org.licensebackup.itests;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.licensebackup.license.License;
import org.licensebackup.store.ForwardingLicenseStore;
import org.licensebackup.store.ForwardingStoreTransaction;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.memory.InMemoryLicenseStore;

/**
 * A host's store that holds an operation at its first license read or write until the test opens
 * the gate, so that a test can act while the operation is surely running.
 */
final class GatedLicenseStore extends ForwardingLicenseStore {

    private final InMemoryLicenseStore licenses = new InMemoryLicenseStore();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile boolean gated;

    /** The store without a gate, to fill it. */
    InMemoryLicenseStore ungated() {
        return licenses;
    }

    void closeGate() {
        gated = true;
    }

    void openGate() {
        gate.countDown();
    }

    /** Waits until an operation stands at the gate. */
    void awaitOperationAtGate() throws InterruptedException {
        if (!reached.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no operation reached the gate");
        }
    }

    private void pass() {
        if (!gated) {
            return;
        }
        reached.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected LicenseStore delegate() {
        return licenses;
    }

    @Override
    public Stream<License> licenses() {
        return licenses.licenses().peek(license -> pass());
    }

    @Override
    public StoreTransaction begin() {
        return new ForwardingStoreTransaction(licenses.begin()) {
            @Override
            public void put(Collection<License> batch) {
                pass();
                super.put(batch);
            }
        };
    }
}
