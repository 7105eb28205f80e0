package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;

/** Hosts swap the license store while the host runs; the embedded store serves when they have none. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreSwapIT extends RestorerTestSupport {

    private static final int SWAPS = 100;

    @Test
    public void aHigherRankedStoreIsUsedByTheNextOperationAndItsRemovalFallsBackToTheEmbeddedStore() throws Exception {
        LicenseStore embedded = store;
        List<License> onEmbedded = fill(embedded, issuer, "Embedded ", 5, BACKUP_ALLOWED);
        Path embeddedBackup = freshDirectory();
        assertEquals(5, awaitReport(restorer().backup(embeddedBackup, BackupOptions.defaults())).succeeded());

        InMemoryLicenseStore hostStore = new InMemoryLicenseStore();
        List<License> onHost = fill(hostStore, issuer, "Host ", 3, BACKUP_ALLOWED);
        ServiceRegistration<LicenseStore> registration = registerHostStore(hostStore, 10);

        assertEquals(3, awaitReport(restorer().backup(freshDirectory(), BackupOptions.defaults())).succeeded());
        assertEquals(5, awaitReport(restorer().restore(embeddedBackup, RestoreOptions.defaults())).succeeded());
        assertEquals(keyIds(Stream.concat(onEmbedded.stream(), onHost.stream()).toList()), keyIds(hostStore));

        unregister(registration);

        assertEquals(5, awaitReport(restorer().backup(freshDirectory(), BackupOptions.defaults())).succeeded());
        assertEquals(keyIds(onEmbedded), keyIds(embedded));
    }

    /**
     * A host swaps its store 100 times (two stores in turn, each swap registering one and then
     * unregistering the one before it) while backups and restores run one after the other. Each
     * operation takes the store of its start: none fails for a swap, a restore leaves its store
     * with every license of the backup, a backup takes all of its store's licenses or (a store no
     * restore reached yet) none, and no store ends with part of them.
     */
    @Test
    public void aStoreSwappedAHundredTimesWhileBackupsAndRestoresRunLosesNoLicenseAndFailsNoOperation() throws Exception {
        int licenses = 40;
        List<License> onEmbedded = fill(store, issuer, "Swapped ", licenses, BACKUP_ALLOWED);
        Path backup = freshDirectory();
        assertEquals(licenses, awaitReport(restorer().backup(backup, BackupOptions.defaults())).succeeded());
        List<InMemoryLicenseStore> hostStores = List.of(new InMemoryLicenseStore(), new InMemoryLicenseStore());

        AtomicInteger swaps = new AtomicInteger();
        CountDownLatch operationsRunning = new CountDownLatch(1);
        Random pauses = new Random(3);
        Thread swapper = new Thread(() -> {
            try {
                operationsRunning.await();
                ServiceRegistration<LicenseStore> previous = null;
                for (int swap = 0; swap < SWAPS; swap++) {
                    ServiceRegistration<LicenseStore> next = registerHostStore(hostStores.get(swap % 2), 10 + swap);
                    if (previous != null) {
                        unregister(previous);
                    }
                    previous = next;
                    swaps.incrementAndGet();
                    // A little time between swaps, so that operations start under different stores.
                    Thread.sleep(pauses.nextInt(15));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "store-swapper");
        swapper.start();

        int backups = 0;
        int restores = 0;
        int refusedAsLost = 0;
        List<Long> backedUpCounts = new ArrayList<>();
        try {
            do {
                Report restored = awaitReport(restorer().restore(backup, RestoreOptions.defaults()));
                operationsRunning.countDown();
                restores++;
                assertEquals(restored.toString(), licenses, restored.succeeded() + restored.unchanged());
                Operation backingUp = restorer().backup(freshDirectory(), BackupOptions.defaults());
                Throwable failure = backingUp.result().timeout(OPERATION_TIMEOUT.toMillis()).getFailure();
                backups++;
                if (failure == null) {
                    backedUpCounts.add(backingUp.result().getValue().succeeded());
                } else {
                    // a host store not yet restored into: the device saw 40 licenses, so no empty backup is written
                    assertEquals(String.valueOf(failure), ErrorCode.STORE_UNAVAILABLE, ((BackupRestoreException) failure).code());
                    refusedAsLost++;
                }
            } while (swapper.isAlive());
        } finally {
            operationsRunning.countDown();
            swapper.join(OPERATION_TIMEOUT.toMillis());
        }

        System.out.println("store swaps: " + swaps.get() + " during " + restores + " restores and " + backups
                + " backups; licenses per backup: " + backedUpCounts + "; refused as a store that lost its licenses: "
                + refusedAsLost);
        assertEquals(SWAPS, swaps.get());
        assertTrue(backedUpCounts.toString(), backedUpCounts.stream().allMatch(count -> count == licenses));
        for (InMemoryLicenseStore hostStore : hostStores) {
            List<KeyId> held = keyIds(hostStore);
            assertTrue(held.toString(), held.isEmpty() || held.equals(keyIds(onEmbedded)));
        }
        assertEquals(keyIds(onEmbedded), keyIds(store));
    }

    /**
     * A host hears that its store is going (as a ServiceListener, or by watching the registry from
     * another thread while the framework tells the others) and starts a backup at once: the store is
     * no longer registered, so the backup must take the store that serves now, the embedded one.
     */
    @Test
    public void aBackupStartedAsTheHostStoreIsUnregisteredTakesTheStoreThatServesNext() throws Exception {
        List<License> onEmbedded = fill(store, issuer, "Embedded ", 5, BACKUP_ALLOWED);
        InMemoryLicenseStore hostStore = new InMemoryLicenseStore();
        fill(hostStore, issuer, "Host ", 3, BACKUP_ALLOWED);
        ServiceRegistration<LicenseStore> registration = registerHostStore(hostStore, 10);
        Path directory = freshDirectory();
        AtomicReference<Operation> startedWhileGoing = new AtomicReference<>();
        ServiceListener host = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING && event.getServiceReference().equals(registration.getReference())) {
                startedWhileGoing.set(restorer().backup(directory, BackupOptions.defaults()));
            }
        };
        bundleContext().addServiceListener(host, "(" + Constants.OBJECTCLASS + "=" + LicenseStore.class.getName() + ")");
        try {
            unregister(registration);
        } finally {
            bundleContext().removeServiceListener(host);
        }

        assertEquals(onEmbedded.size(), awaitReport(startedWhileGoing.get()).succeeded());
    }
}
