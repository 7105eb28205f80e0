package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.schedule.BackupSchedules;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventProperties;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.licensebackup.api.schedule.ScheduleTopics;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

/**
 * The promises of scheduled backups and of several backups in a directory to a host, in Felix: a
 * schedule backs up through the restorer and its backup is listed; a restore over a non-empty store
 * leaves a safety backup; the health check (with Felix Health Checks' API installed) says WARN, OK
 * and CRITICAL as the schedules fare; the shell commands are registered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ScheduleIT extends RestorerTestSupport {

    private static final String SCHEDULE_PID = "org.licensebackup.schedule";
    private static final String HEALTH_PID = "org.licensebackup.schedule.health";

    private Configuration schedule;

    @After
    public void deleteTheSchedule() throws IOException {
        if (schedule != null) {
            schedule.delete();
        }
    }

    @Test
    public void aScheduledBackupGoesThroughTheRestorerAndIsListedWithItsDeviceCountAndState() throws Exception {
        fill(store, issuer, "Film ", 5, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        EventRecorder recorder = recordEvents(ScheduleTopics.ALL);
        ScheduleStatus status = startSchedule("nightly", directory);

        assertTrue(schedules().runNow("nightly"));
        Event completed = recorder.await(ScheduleTopics.BACKUP_COMPLETED, OPERATION_TIMEOUT);

        assertEquals("nightly", completed.getProperty(ScheduleTopics.SCHEDULE));
        List<BackupInfo> listed = catalog().list(directory);
        assertEquals(1, listed.size());
        assertEquals(completed.getProperty(EventProperties.LOCATION), listed.get(0).file().toString());
        assertEquals(5, listed.get(0).licenseCount());
        assertEquals(device().deviceId(), listed.get(0).deviceId());
        assertEquals(BackupState.NOT_VERIFIED, listed.get(0).state());
        assertTrue(status.nextRun().isPresent());
        assertTrue(awaitStatus("nightly", s -> s.lastSuccess().isPresent()).lastError().isEmpty());

        assertEquals(5, awaitReport(restorer().verify(directory)).succeeded());
        assertEquals(BackupState.VERIFIED, catalog().list(directory).get(0).state());
        assertTrue(Files.exists(directory.resolve("licensebackup-schedule-nightly.written")));
    }

    @Test
    public void aRestoreOfTheNewestBackupOverANonEmptyStoreLeavesASafetyBackupOfThatStore() throws Exception {
        fill(store, issuer, "Song ", 3, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.adding()));
        fill(store, issuer, "Later ", 2, BACKUP_ALLOWED);
        Path safety = catalog().safetyDirectory();
        int before = catalog().list(safety).size();

        assertEquals(3, awaitReport(restorer().restore(directory, RestoreOptions.defaults())).unchanged());

        List<BackupInfo> safetyBackups = catalog().list(safety);
        assertEquals(before + 1, safetyBackups.size());
        assertEquals(5, safetyBackups.get(0).licenseCount());
    }

    @Test
    public void theHealthCheckSaysWarnWithoutAGoodBackupOkAfterOneAndCriticalWhenBackupsFail() throws Exception {
        configure(HEALTH_PID, Map.of("critical.failures", 1));
        fill(store, issuer, "Show ", 2, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        EventRecorder recorder = recordEvents(ScheduleTopics.ALL);
        startSchedule("health", directory);
        assertEquals(Result.Status.WARN, healthCheck().execute().getStatus());

        schedules().runNow("health");
        recorder.await(ScheduleTopics.BACKUP_COMPLETED, OPERATION_TIMEOUT);
        awaitStatus("health", s -> s.lastSuccess().isPresent());
        assertEquals(Result.Status.OK, healthCheck().execute().getStatus());

        schedule.delete();
        Path notADirectory = Files.writeString(freshDirectory().resolve("a-file"), "in the way");
        startSchedule("failing", notADirectory);
        schedules().runNow("failing");
        recorder.await(ScheduleTopics.BACKUP_FAILED, OPERATION_TIMEOUT);
        awaitStatus("failing", s -> s.consecutiveFailures() > 0);
        assertEquals(Result.Status.CRITICAL, healthCheck().execute().getStatus());
    }

    @Test
    public void aScheduleWhoseStoreLostItsLicensesFailsClearlyAndWritesNothing() throws Exception {
        fill(store, issuer, "Kept ", 3, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        EventRecorder recorder = recordEvents(ScheduleTopics.ALL);
        startSchedule("lost", directory);
        schedules().runNow("lost");
        recorder.await(ScheduleTopics.BACKUP_COMPLETED, OPERATION_TIMEOUT);
        List<BackupInfo> good = catalog().list(directory);

        clear(store);
        schedules().runNow("lost");
        Event failed = recorder.await(ScheduleTopics.BACKUP_FAILED, OPERATION_TIMEOUT);

        assertEquals("STORE_UNAVAILABLE", failed.getProperty(EventProperties.ERROR_CODE));
        assertEquals(1, awaitStatus("lost", s -> s.consecutiveFailures() > 0).consecutiveFailures());
        assertEquals(good, catalog().list(directory));
        assertEquals(3, good.get(0).licenseCount());
    }

    @Test
    public void theShellCommandsAreRegisteredUnderTheLicenseScope() throws Exception {
        ServiceReference<?> commands = awaitCommands("(&(osgi.command.scope=license)(osgi.command.function=schedules))");
        List<String> functions = List.of((String[]) commands.getProperty("osgi.command.function"));
        assertTrue(functions.toString(), functions.containsAll(List.of("schedules", "runschedule", "backups", "safetybackup", "clean")));
        Object service = bundleContext().getService(commands);
        Path directory = freshDirectory();
        fill(store, issuer, "Clip ", 1, BACKUP_ALLOWED);
        awaitReport(restorer().backup(directory, BackupOptions.adding()));

        String listing = (String) service.getClass().getMethod("backups", String.class).invoke(service, directory.toString());

        assertTrue(listing, listing.contains("1 licenses") && listing.contains("NOT_VERIFIED"));
        try {
            service.getClass().getMethod("runschedule", String.class).invoke(service, "no-such-schedule");
            throw new AssertionError("an unknown schedule was run");
        } catch (java.lang.reflect.InvocationTargetException refused) {
            assertEquals(ErrorCode.BAD_DATA, ((BackupRestoreException) refused.getCause()).code());
        }
        bundleContext().ungetService(commands);
    }

    private ScheduleStatus startSchedule(String name, Path directory) throws Exception {
        ConfigurationAdmin configurationAdmin = awaitService(ConfigurationAdmin.class, DEFAULT_TIMEOUT);
        schedule = configurationAdmin.getFactoryConfiguration(SCHEDULE_PID, name, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("directory", directory.toString());
        properties.put("period", "P1D");
        properties.put("retries", 0);
        schedule.update(properties);
        return awaitStatus(name, status -> status.nextRun().isPresent());
    }

    private ScheduleStatus awaitStatus(String name, java.util.function.Predicate<ScheduleStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ScheduleStatus> status = schedules().schedule(name);
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("schedule " + name + " did not reach the state expected: " + schedules().schedule(name));
    }

    private ServiceReference<?> awaitCommands(String filter) throws Exception {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] found = bundleContext().getServiceReferences((String) null, filter);
            if (found != null) {
                return found[0];
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no service " + filter);
    }

    private BackupSchedules schedules() {
        return awaitService(BackupSchedules.class, DEFAULT_TIMEOUT);
    }

    private BackupCatalog catalog() {
        return awaitService(BackupCatalog.class, DEFAULT_TIMEOUT);
    }

    private HealthCheck healthCheck() {
        return awaitService(HealthCheck.class, "(hc.tags=licensebackup)", DEFAULT_TIMEOUT);
    }
}
