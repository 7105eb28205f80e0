package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.license.License;
import org.licensebackup.testing.postgres.PostgresProcess;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreProperties;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A host swaps to the PostgreSQL store while it runs, by configuring it above the embedded store,
 * and back by deleting that configuration; operations use whichever ranks highest when they start.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresStoreSwapIT extends RestorerTestSupport {

    private static final String URL_PROPERTY = "licensebackup.itest.postgres.url";
    private static final String PID = "org.licensebackup.store.postgres";
    @Override
    protected Option[] additionalOptions() {
        return new Option[] {frameworkProperty(URL_PROPERTY).value(OutsideTheContainer.newDatabase())};
    }

    /**
     * The PostgreSQL that the test JVM starts outside the container when it configures the
     * container, and stops when it ends. A class of its own, loaded only there: the container has
     * no PostgresProcess.
     */
    private static final class OutsideTheContainer {
        private static PostgresProcess postgres;

        static synchronized String newDatabase() {
            try {
                if (postgres == null) {
                    postgres = PostgresProcess.start();
                }
                return postgres.createDatabase("swap_" + System.nanoTime());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start PostgreSQL for the container", e);
            }
        }
    }

    @Test
    public void theHostSwapsToThePostgresStoreAndBackWhileItRuns() throws Exception {
        List<License> onEmbedded = fill(store, issuer, "Embedded ", 5, BACKUP_ALLOWED);
        Path embeddedBackup = freshDirectory();
        assertEquals(5, awaitReport(restorer().backup(embeddedBackup, BackupOptions.defaults())).succeeded());

        configure(PID, Map.of("database.url", bundleContext().getProperty(URL_PROPERTY), "database.user", PostgresProcess.USER,
                "service.ranking", 10));
        LicenseStore onPostgres = awaitService(LicenseStore.class, "(" + StoreProperties.NAME + "=postgres)", DEFAULT_TIMEOUT);
        clear(onPostgres);
        List<License> onServer = fill(onPostgres, issuer, "Server ", 3, BACKUP_ALLOWED);

        assertEquals(3, awaitReport(restorer().backup(freshDirectory(), BackupOptions.defaults())).succeeded());
        assertEquals(5, awaitReport(restorer().restore(embeddedBackup, RestoreOptions.defaults())).succeeded());
        assertEquals(keyIds(Stream.concat(onEmbedded.stream(), onServer.stream()).toList()), keyIds(onPostgres));

        awaitService(ConfigurationAdmin.class, DEFAULT_TIMEOUT).getConfiguration(PID, "?").delete();
        awaitGone("(" + StoreProperties.NAME + "=postgres)");

        assertEquals(5, awaitReport(restorer().backup(freshDirectory(), BackupOptions.defaults())).succeeded());
        assertEquals(keyIds(onEmbedded), keyIds(store));
    }

    private void awaitGone(String filter) throws Exception {
        for (int i = 0; i < 100 && !bundleContext().getServiceReferences(LicenseStore.class, filter).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), List.copyOf(bundleContext().getServiceReferences(LicenseStore.class, filter)));
    }
}
