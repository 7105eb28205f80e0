package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.memory.InMemoryLicenseStore;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/** Hosts swap the license store while the host runs; the embedded store serves when they have none. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreSwapIT extends RestorerTestSupport {

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
}
