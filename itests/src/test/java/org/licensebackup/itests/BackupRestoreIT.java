package org.licensebackup.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/** The promises the BackupRestorer service makes to a media host, in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackupRestoreIT extends RestorerTestSupport {

    @Test
    public void anyBundleFindsTheService() {
        assertNotNull(bundleContext().getServiceReference(BackupRestorer.class));
    }

    @Test
    public void aBackupAndItsRestorePostTheirEventsInOrder() throws Exception {
        List<License> allowed = fill(store, issuer, "Song ", 20, BACKUP_ALLOWED);
        List<License> notAllowed = fill(store, issuer, "Rental ", 3, BACKUP_ALLOWED.withBackupAllowed(false));
        List<License> expired = fill(store, issuer, "Old ", 2, BACKUP_ALLOWED.withNotAfter(past()));
        EventRecorder recorder = recordEvents(EventTopics.BACKUP_ALL, EventTopics.RESTORE_ALL);
        Path directory = freshDirectory();

        Operation backup = restorer().backup(directory, BackupOptions.defaults());
        Report backedUp = awaitReport(backup);
        recorder.await(EventTopics.BACKUP_END, OPERATION_TIMEOUT);

        assertEquals(20, backedUp.succeeded());
        assertEquals(Map.of(Reason.BACKUP_NOT_ALLOWED, 3L, Reason.EXPIRED, 2L), backedUp.leftOutByReason());
        assertTrue(Files.isRegularFile(directory.resolve(BackupRestorer.BACKUP_FILE_NAME)));
        List<Event> backupEvents = eventsOf(recorder, backup);
        assertEquals(EventTopics.BACKUP_BEGIN, backupEvents.get(0).getTopic());
        assertEquals(25L, backupEvents.get(0).getProperty(EventProperties.TOTAL));
        assertEquals(EventTopics.BACKUP_END, last(backupEvents).getTopic());
        assertEquals("COMPLETED", last(backupEvents).getProperty(EventProperties.STATUS));
        assertTrue(topics(backupEvents).contains(EventTopics.BACKUP_PROGRESS));
        assertEquals(titles(notAllowed, expired), restrictedTitles(backupEvents, EventTopics.BACKUP_RESTRICTED_LICENSE));
        assertEquals(Set.of(EventTopics.BACKUP_BEGIN, EventTopics.BACKUP_PROGRESS, EventTopics.BACKUP_RESTRICTED_LICENSE,
                EventTopics.BACKUP_END), new HashSet<>(topics(backupEvents)));

        clear(store);
        Operation restore = restorer().restore(directory, RestoreOptions.defaults());
        Report restored = awaitReport(restore);
        recorder.await(EventTopics.RESTORE_END, OPERATION_TIMEOUT);

        assertEquals(20, restored.succeeded());
        assertEquals(keyIds(allowed), keyIds(store));
        List<String> restoreTopics = topics(eventsOf(recorder, restore));
        // this device's own backup: opened with its own key, no session with a service around it
        assertEquals(EventTopics.RESTORE_BEGIN, restoreTopics.get(0));
        assertEquals(EventTopics.RESTORE_END, last(restoreTopics));
        assertTrue(restoreTopics.contains(EventTopics.RESTORE_PROGRESS));
        assertFalse(restoreTopics.contains(EventTopics.RESTORE_CONNECTING));
    }

    @Test
    public void restoringTheSameBackupAgainChangesNothing() throws Exception {
        fill(store, issuer, "Song ", 5, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        List<License> before = store.licenses().toList();

        Report again = awaitReport(restorer().restore(directory, RestoreOptions.defaults()));

        assertEquals(0, again.succeeded());
        assertEquals(5, again.unchanged());
        assertEquals(before, store.licenses().toList());
    }

    @Test
    public void anExistingBackupFailsWithBackupExistsUnlessOverwriteIsAsked() throws Exception {
        fill(store, issuer, "Song ", 3, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        Path backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        byte[] first = Files.readAllBytes(backupFile);
        EventRecorder recorder = recordEvents(EventTopics.BACKUP_END);

        Operation refused = restorer().backup(directory, BackupOptions.defaults());
        awaitFailure(refused, ErrorCode.BACKUP_EXISTS);
        Event end = awaitEnd(recorder, EventTopics.BACKUP_END, refused);
        assertEquals("FAILED", end.getProperty(EventProperties.STATUS));
        assertEquals("BACKUP_EXISTS", end.getProperty(EventProperties.ERROR_CODE));
        assertArrayEquals(first, Files.readAllBytes(backupFile));

        fill(store, issuer, "More ", 2, BACKUP_ALLOWED);
        Report overwritten = awaitReport(restorer().backup(directory, BackupOptions.overwriting()));
        assertEquals(5, overwritten.succeeded());
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(backupFile)));
        assertFileCount(directory, 1);
    }

    @Test
    public void aSecondOperationWhileOneRunsIsRefusedAsBusy() throws Exception {
        GatedLicenseStore hostStore = new GatedLicenseStore();
        fill(hostStore.ungated(), issuer, "Song ", 3, BACKUP_ALLOWED);
        hostStore.closeGate();
        registerHostStore(hostStore, 100);
        Path directory = freshDirectory();

        Operation running = restorer().backup(directory, BackupOptions.defaults());
        hostStore.awaitOperationAtGate();

        assertRefused(ErrorCode.BUSY, () -> restorer().backup(freshDirectorySilently(), BackupOptions.defaults()));
        assertRefused(ErrorCode.BUSY, () -> restorer().restore(directory, RestoreOptions.defaults()));
        hostStore.openGate();
        assertEquals(3, awaitReport(running).succeeded());
    }

    @Test
    public void aCancelledBackupLeavesNoPartialBackupAndThePreviousOneIntact() throws Exception {
        fill(store, issuer, "Song ", 4, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        Path backupFile = directory.resolve(BackupRestorer.BACKUP_FILE_NAME);
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        byte[] previous = Files.readAllBytes(backupFile);
        GatedLicenseStore hostStore = new GatedLicenseStore();
        fill(hostStore.ungated(), issuer, "Other ", 3, BACKUP_ALLOWED);
        hostStore.closeGate();
        registerHostStore(hostStore, 100);
        EventRecorder recorder = recordEvents(EventTopics.BACKUP_END);

        Operation cancelled = restorer().backup(directory, BackupOptions.overwriting());
        hostStore.awaitOperationAtGate();
        assertTrue(cancelled.cancel());
        hostStore.openGate();

        awaitFailure(cancelled, ErrorCode.CANCELLED);
        assertEquals("CANCELLED", awaitEnd(recorder, EventTopics.BACKUP_END, cancelled).getProperty(EventProperties.STATUS));
        assertArrayEquals(previous, Files.readAllBytes(backupFile));
        assertFileCount(directory, 1);
        assertFalse(cancelled.cancel());
    }

    @Test
    public void aCancelledRestoreLeavesTheStoreAsItWas() throws Exception {
        fill(store, issuer, "Song ", 6, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        GatedLicenseStore hostStore = new GatedLicenseStore();
        List<License> kept = fill(hostStore.ungated(), issuer, "Kept ", 2, BACKUP_ALLOWED);
        hostStore.closeGate();
        registerHostStore(hostStore, 100);

        Operation cancelled = restorer().restore(directory, RestoreOptions.defaults());
        hostStore.awaitOperationAtGate();
        cancelled.cancel();
        hostStore.openGate();

        awaitFailure(cancelled, ErrorCode.CANCELLED);
        assertEquals(keyIds(kept), keyIds(hostStore));
    }

    @Test
    public void aDeviceRestoresItsOwnBackupOfflineWhileItsLicenseServerCannotBeReached() throws Exception {
        List<License> issued = fill(store, issuer, "Song ", 3, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        clear(store);
        useAnUnreachableLicenseServer();
        try {
            EventRecorder recorder = recordEvents(EventTopics.RESTORE_ALL);
            Report report = awaitReport(restorer().restore(directory, RestoreOptions.defaults()));

            assertEquals(3, report.succeeded());
            assertEquals(keyIds(issued), keyIds(store));
            assertTrue(recorder.events(EventTopics.RESTORE_CONNECTING).isEmpty());
        } finally {
            forgetTheUnreachableLicenseServer();
        }
    }

    @Test
    public void aBackupFromAnotherDeviceIsNotRestoredWhileTheLicenseServerCannotBeReachedAndNothingIsWritten()
            throws Exception {
        fill(store, issuer, "Song ", 2, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        clear(store);
        becomeANewDevice();
        useAnUnreachableLicenseServer();
        try {
            awaitFailure(restorer().restore(directory, RestoreOptions.withRebindConsent()),
                    ErrorCode.RESTORE_SERVICE_UNAVAILABLE);
            assertEquals(0, store.count());
        } finally {
            forgetTheUnreachableLicenseServer();
        }
    }

    /**
     * A host's handlers that block, throw, or are slow on every event of every operation: the
     * operations post their events and never wait for a handler, so each still ends, with every
     * license, within the operation timeout (a bound on the test, not a figure it measures).
     */
    @Test
    public void blockedSlowOrFailingEventHandlersNeverStallOrFailABackupRestoreOrVerify() throws Exception {
        List<License> songs = fill(store, issuer, "Song ", 20, BACKUP_ALLOWED);
        CountDownLatch handlerReleased = new CountDownLatch(1);
        AtomicInteger handledByBlocked = new AtomicInteger();
        AtomicInteger handledBySlow = new AtomicInteger();
        EventHandler blocked = event -> {
            handledByBlocked.incrementAndGet();
            try {
                handlerReleased.await(OPERATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        EventHandler slow = event -> {
            handledBySlow.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        EventHandler failing = event -> {
            throw new IllegalStateException("a host's broken handler");
        };
        // A blocked handler holds back EventAdmin's delivery to the others: the slow and the failing
        // ones first get events alone, then the blocked one joins them.
        List<ServiceRegistration<?>> handlers = new ArrayList<>(List.of(registerHandler(slow), registerHandler(failing)));
        try {
            backUpRestoreAndVerifyEverything(songs);
            handlers.add(registerHandler(blocked));
            backUpRestoreAndVerifyEverything(songs);

            assertTrue("the blocked handler is still on its first event", handledByBlocked.get() <= 1);
            System.out.println("events taken by the slow handler while six operations ran: " + handledBySlow.get());
        } finally {
            handlerReleased.countDown();
            handlers.forEach(ServiceRegistration::unregister);
        }
    }

    private void backUpRestoreAndVerifyEverything(List<License> licenses) throws Exception {
        Path directory = freshDirectory();
        assertEquals(licenses.size(), awaitReport(restorer().backup(directory, BackupOptions.defaults())).succeeded());
        clear(store);
        assertEquals(licenses.size(), awaitReport(restorer().restore(directory, RestoreOptions.defaults())).succeeded());
        assertEquals(keyIds(licenses), keyIds(store));
        assertEquals(licenses.size(), awaitReport(restorer().verify(directory)).succeeded());
    }

    @Test
    public void aDirectoryWithoutABackupFailsWithNoBackup() throws Exception {
        awaitFailure(restorer().restore(freshDirectory(), RestoreOptions.defaults()), ErrorCode.NO_BACKUP);
    }

    @Test
    public void aFailedOperationLeavesAWarningInTheLogServiceForTheOperator() throws Exception {
        LogReaderService log = awaitService(LogReaderService.class, DEFAULT_TIMEOUT);

        awaitFailure(restorer().restore(freshDirectory(), RestoreOptions.defaults()), ErrorCode.NO_BACKUP);

        List<String> warnings = Collections.list(log.getLog()).stream()
                .filter(entry -> entry.getLogLevel() == LogLevel.WARN)
                .filter(entry -> entry.getBundle().getSymbolicName().equals("org.licensebackup.restorer"))
                .map(LogEntry::getMessage)
                .toList();
        assertTrue("the restorer's warnings: " + warnings, warnings.stream().anyMatch(message -> message.contains("NO_BACKUP")));
    }

    @Test
    public void nullArgumentsAreRefusedAsBadData() {
        assertRefused(ErrorCode.BAD_DATA, () -> restorer().backup(null, BackupOptions.defaults()));
        assertRefused(ErrorCode.BAD_DATA, () -> restorer().restore(null, RestoreOptions.defaults()));
        assertRefused(ErrorCode.BAD_DATA, () -> restorer().backup(Path.of("x"), null));
    }

    @Test
    public void withoutADirectoryTheConfiguredDefaultIsUsed() throws Exception {
        assertRefused(ErrorCode.NO_LOCATION, () -> restorer().backup(BackupOptions.defaults()));
        Path directory = freshDirectory();
        fill(store, issuer, "Song ", 1, BACKUP_ALLOWED);
        configure("org.licensebackup.restorer", Map.of("default.directory", directory.toString()));
        try {
            awaitReport(restorer().backup(BackupOptions.defaults()));
            assertTrue(Files.isRegularFile(directory.resolve(BackupRestorer.BACKUP_FILE_NAME)));
        } finally {
            configure("org.licensebackup.restorer", Map.of("default.directory", ""));
        }
    }

    private ServiceRegistration<?> registerHandler(EventHandler handler) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, EventTopics.PREFIX + "*");
        return bundleContext().registerService(EventHandler.class, handler, properties);
    }

    private Path freshDirectorySilently() {
        try {
            return freshDirectory();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @SafeVarargs
    private static Set<String> titles(List<License>... groups) {
        return Stream.of(groups).flatMap(List::stream).map(License::title).collect(Collectors.toSet());
    }

    private static Set<String> restrictedTitles(List<Event> events, String topic) {
        List<Event> restricted = events.stream().filter(event -> event.getTopic().equals(topic)).toList();
        restricted.forEach(event -> assertNotNull(event.getProperty(EventProperties.KEY_ID)));
        Set<String> titles = restricted.stream().map(event -> (String) event.getProperty(EventProperties.TITLE)).collect(Collectors.toSet());
        assertEquals(restricted.size(), titles.size());
        return titles;
    }

    private static List<String> topics(List<Event> events) {
        return events.stream().map(Event::getTopic).toList();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
