package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.api.hygiene.HygieneTopics;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * What a host that listens to events may rely on: the operation's promise is settled before its END
 * event, END carries every count of the report, progress comes at a useful rate however small the
 * operation, and a restorer that starts posts nothing before the host's first call.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OperationEventsIT extends RestorerTestSupport {

    /** The restorer's thread for its operations (BackupRestorerComponent). */
    private static final String OPERATION_THREAD = "license-backup-operation";

    @Test
    public void aHandlerThatGetsEndFindsThePromiseAlreadySettled() throws Exception {
        fill(store, issuer, "Song ", 50, BACKUP_ALLOWED);
        CompletableFuture<Operation> started = new CompletableFuture<>();
        CompletableFuture<Boolean> settledAtEnd = new CompletableFuture<>();
        ServiceRegistration<EventHandler> handler = registerHandler(EventTopics.BACKUP_END, event -> {
            try {
                Operation operation = started.get(10, TimeUnit.SECONDS);
                if (operation.id().equals(event.getProperty(EventProperties.OPERATION_ID))) {
                    settledAtEnd.complete(operation.result().isDone());
                }
            } catch (Exception e) {
                settledAtEnd.completeExceptionally(e);
            }
        });
        try {
            Operation backup = restorer().backup(freshDirectory(), BackupOptions.defaults());
            started.complete(backup);
            assertTrue("the promise was settled when END came", settledAtEnd.get(60, TimeUnit.SECONDS));
            assertEquals(50, awaitReport(backup).succeeded());
        } finally {
            handler.unregister();
        }
    }

    @Test
    public void endCarriesEveryCountOfTheReportUnchangedAmongThem() throws Exception {
        fill(store, issuer, "Song ", 30, BACKUP_ALLOWED);
        fill(store, issuer, "Rental ", 4, BACKUP_ALLOWED.withBackupAllowed(false));
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        EventRecorder recorder = recordEvents(EventTopics.RESTORE_ALL);

        // the store still holds every license: a restore finds all 30 unchanged
        Operation restore = restorer().restore(directory, RestoreOptions.defaults());
        Report report = awaitReport(restore);
        Event end = recorder.await(EventTopics.RESTORE_END, OPERATION_TIMEOUT);

        assertEquals(30, report.unchanged());
        assertEquals(report.considered(), end.getProperty(EventProperties.DONE));
        assertEquals(report.succeeded(), end.getProperty(EventProperties.SUCCEEDED));
        assertEquals(report.unchanged(), end.getProperty(EventProperties.UNCHANGED));
        assertEquals(report.leftOutCount(), end.getProperty(EventProperties.LEFT_OUT));
        assertEquals(report.leftOutNotListed(), end.getProperty(EventProperties.LEFT_OUT_NOT_LISTED));
        assertEquals(report.bytes(), end.getProperty(EventProperties.BYTES));
        assertEquals(report.sourceDeviceId(), end.getProperty(EventProperties.SOURCE_DEVICE_ID));
        assertEquals(report.backupFile().toString(), end.getProperty(EventProperties.LOCATION));
        for (Reason reason : Reason.values()) {
            Long count = report.leftOutByReason().get(reason);
            assertEquals(reason.name(), count, end.getProperty(EventProperties.leftOut(reason)));
        }
    }

    @Test
    public void aRestoreOfNineHundredLicensesShowsItsProgressStepByStep() throws Exception {
        fill(store, issuer, "Song ", 900, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));
        clear(store);
        EventRecorder recorder = recordEvents(EventTopics.RESTORE_ALL);

        Operation restore = restorer().restore(directory, RestoreOptions.defaults());
        awaitReport(restore);
        recorder.await(EventTopics.RESTORE_END, OPERATION_TIMEOUT);

        List<Long> done = eventsOf(recorder, restore).stream()
                .filter(event -> event.getTopic().equals(EventTopics.RESTORE_PROGRESS))
                .map(event -> (Long) event.getProperty(EventProperties.DONE)).toList();
        // one per 1 % step at least (the default), however fast the restore ran; one per batch before
        assertTrue("progress events: " + done, done.size() >= 100);
        assertEquals(Long.valueOf(900), done.get(done.size() - 1));
        for (int i = 1; i < done.size(); i++) {
            assertTrue("progress never goes back: " + done, done.get(i) >= done.get(i - 1));
        }
    }

    @Test
    public void aRestorerThatStartsWarmsUpWithoutAnOperationOrAnEvent() throws Exception {
        fill(store, issuer, "Song ", 5, BACKUP_ALLOWED);
        Bundle restorerBundle = FrameworkUtil.getBundle(restorer().getClass());
        EventRecorder recorder = recordEvents(EventTopics.BACKUP_ALL, EventTopics.RESTORE_ALL, EventTopics.VERIFY_ALL,
                EventTopics.RELEASE_ALL, HygieneTopics.CLEAN_ALL);
        restorerBundle.stop();
        restorerBundle.start();
        BackupRestorer restarted = restorer();
        // its activation starts the operation thread and warms the callers' path on it
        awaitWaitingThread(OPERATION_THREAD);
        assertEquals(List.of(), recorder.events());

        Operation backup = restarted.backup(freshDirectory(), BackupOptions.defaults());
        assertTrue("the restarted restorer's first operation: " + backup.id(), backup.id().endsWith("-1"));
        assertEquals(5, awaitReport(backup).succeeded());
        awaitEnd(recorder, EventTopics.BACKUP_END, backup);
        assertEquals("every event is the backup's, numbered from 1", eventsOf(recorder, backup), recorder.events());
    }

    /** Waits until a thread named {@code name} runs and waits for work. */
    private static void awaitWaitingThread(String name) throws InterruptedException {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            Optional<Thread> thread = Thread.getAllStackTraces().keySet().stream()
                    .filter(candidate -> candidate.getName().equals(name)).findFirst();
            if (thread.isPresent() && thread.get().getState() == Thread.State.WAITING) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no thread " + name + " waiting for work within " + DEFAULT_TIMEOUT + ": " + thread);
            }
            Thread.sleep(10);
        }
    }

    private ServiceRegistration<EventHandler> registerHandler(String topic, EventHandler handler) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, topic);
        return bundleContext().registerService(EventHandler.class, handler, properties);
    }
}
