package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatusService;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.license.KeyId;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The operator's commands ({@code license:*}) as Gogo runs them, in Felix as in Karaf's console:
 * what each prints, and how each fails (one exception with its error code, or a refusal of its
 * arguments).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends RestorerTestSupport {

    private String lastErr = "";

    /** Runs {@code license:NAME ARGS...} in a session of its own; answers what a console shows: what it printed, then what it answered. */
    private String shell(String name, String... args) throws Exception {
        CommandProcessor processor = awaitService(CommandProcessor.class, DEFAULT_TIMEOUT);
        awaitCommand(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            StringBuilder line = new StringBuilder("license:" + name);
            for (int i = 0; i < args.length; i++) {
                session.put("arg" + i, args[i]);
                line.append(" $arg").append(i);
            }
            Object answer = session.execute(line);
            if (answer != null) {
                out.writeBytes((answer + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            session.close();
            lastErr = err.toString(StandardCharsets.UTF_8);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Waits until a service offers the Gogo command {@code license:NAME}, as the shell and the issuer register theirs. */
    private void awaitCommand(String name) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(bundleContext(), bundleContext().createFilter(
                "(&(osgi.command.scope=license)(osgi.command.function=" + name + "))"), null);
        tracker.open(true);
        try {
            if (tracker.waitForService(DEFAULT_TIMEOUT.toMillis()) == null) {
                fail("no command license:" + name + " within " + DEFAULT_TIMEOUT);
            }
        } finally {
            tracker.close();
        }
    }

    /** What {@code license:NAME ARGS...} threw, as the command threw it (Gogo may wrap it). */
    private Throwable failureOf(String name, String... args) throws Exception {
        try {
            shell(name, args);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
        fail("license:" + name + " should have failed");
        return null;
    }

    private void assertFailsWith(ErrorCode code, String name, String... args) throws Exception {
        Throwable failure = failureOf(name, args);
        assertTrue(String.valueOf(failure), failure instanceof BackupRestoreException);
        assertEquals(code, ((BackupRestoreException) failure).code());
        assertTrue(failure.getMessage(), failure.getMessage().startsWith(code + ": "));
    }

    @Test
    public void listShowsTheLicensesWithTheirRightsAndFiltersThem() throws Exception {
        fill(store, issuer, "Blue Planet ", 2, BACKUP_ALLOWED);
        fill(store, issuer, "Red Desert ", 1, BACKUP_ALLOWED.withBackupAllowed(false));

        String all = shell("list");
        assertTrue(all, all.contains("  Blue Planet 0  [backup]"));
        assertTrue(all, all.contains("  Red Desert 0  [no backup]"));
        assertTrue(all, all.endsWith("3 licenses\n"));
        assertEquals("1 license\n", lastLine(shell("list", "--title", "red", "--rights", "backup-not-allowed")));
        assertEquals("0 licenses\n", lastLine(shell("list", "--rights", "bound-elsewhere")));
    }

    @Test
    public void backupVerifyAndRestoreSayWhatTheyDid() throws Exception {
        fill(store, issuer, "Song ", 3, BACKUP_ALLOWED);
        fill(store, issuer, "Old ", 1, BACKUP_ALLOWED.withNotAfter(past()));
        Path directory = freshDirectory();

        String backup = shell("backup", directory.toString());
        assertTrue(backup, backup.startsWith("backing up to " + directory + "\n"));
        assertTrue(backup, backup.contains("backed up 3 of 4 licenses"));
        assertTrue(backup, backup.contains("excluded 1: EXPIRED 1"));
        assertTrue(backup, backup.contains("  Old 0  EXPIRED"));

        String verify = shell("verify", directory.toString());
        assertTrue(verify, verify.contains("the backup is sound: a restore would take 3 of 3 licenses"));

        String restore = shell("restore", directory.toString());
        assertTrue(restore, restore.contains("restored 0 of 3 licenses"));
        assertTrue(restore, restore.contains("(3 already in the store as they are)"));
    }

    @Test
    public void aBackupOverAnotherFailsWithItsCodeUnlessOverwriteIsAsked() throws Exception {
        fill(store, issuer, "Song ", 1, BACKUP_ALLOWED);
        Path directory = freshDirectory();
        shell("backup", directory.toString());

        assertFailsWith(ErrorCode.BACKUP_EXISTS, "backup", directory.toString());
        assertTrue(shell("backup", directory.toString(), "--overwrite").contains("backed up 1 of 1 licenses"));
    }

    @Test
    public void aRestoreOrVerifyOfNoBackupFailsWithItsCode() throws Exception {
        Path empty = freshDirectory();
        assertFailsWith(ErrorCode.NO_BACKUP, "restore", empty.toString());
        assertFailsWith(ErrorCode.NO_BACKUP, "verify", empty.toString());
    }

    @Test
    public void argumentsACommandDoesNotTakeAreRefusedWithWhatIsWrong() throws Exception {
        Throwable refused = failureOf("backup");
        assertTrue(String.valueOf(refused), refused instanceof IllegalArgumentException);
        assertEquals("backup needs exactly one directory, got 0", refused.getMessage());
        Throwable unknownRight = failureOf("list", "--rights", "cheap");
        assertTrue(unknownRight.getMessage(), unknownRight.getMessage().startsWith("list --rights: not a right: cheap"));
        assertTrue(String.valueOf(failureOf("release")), failureOf("release") instanceof IllegalArgumentException);
    }

    @Test
    public void releaseGivesBackWhatTheServerCountsAndDeletesOnlyThat() throws Exception {
        fill(store, issuer, "Song ", 2, BACKUP_ALLOWED);
        Path backup = freshDirectory();
        awaitReport(restorer().backup(backup, BackupOptions.defaults()));
        // the server counts what it re-bound: this device's licenses, restored on another device
        becomeANewDevice();
        clear(store);
        awaitReport(restorer().restore(backup, RestoreOptions.withRebindConsent()));
        List<KeyId> held = keyIds(store);

        String released = shell("release", held.get(0).toString());
        assertTrue(released, released.contains("gave back 1 of 1 licenses, deleted from the store"));
        assertEquals(held.subList(1, 2), keyIds(store));

        String notCounted = shell("release", held.get(1).toString(), "AAAAAAAAAAAAAAAAAAAAAA==");
        assertTrue(notCounted, notCounted.contains("gave back 1 of 2 licenses") && notCounted.contains("NOT_RELEASED 1"));
        assertFailsWith(ErrorCode.BAD_DATA, "release", "not-a-key-id");
    }

    @Test
    public void statusTellsTheStoreTheDeviceAndTheLastBackup() throws Exception {
        fill(store, issuer, "Song ", 2, BACKUP_ALLOWED);
        EventRecorder recorder = recordEvents(EventTopics.BACKUP_END);
        Path directory = freshDirectory();
        shell("backup", directory.toString());
        recorder.await(EventTopics.BACKUP_END, OPERATION_TIMEOUT);
        awaitLastBackupInStatus(directory);

        String status = shell("status");
        assertTrue(status, status.startsWith("device:           " + device().deviceId() + "\n"));
        assertTrue(status, status.contains("license store:    embedded, 2 licenses\n"));
        assertTrue(status, status.contains(" BACKUP COMPLETED " + directory.resolve(BackupRestorer.BACKUP_FILE_NAME)
                + ": 2 succeeded\n"));
        assertTrue(status, status.contains("recent operations, newest first:\n"));
    }

    @Test
    public void issueFillsTheStoreWithTestLicenses() throws Exception {
        Path keyFile = freshDirectory().resolve("issuer.key");
        String issued = shell("issue", "20", "--issuer", keyFile.toString());
        assertTrue(issued, issued.startsWith("issued 20 licenses: 17 with the backup right"));
        assertEquals(20, store.count());
    }

    /** The status hears of an operation from its END event, which EventAdmin delivers to it on its own time. */
    private void awaitLastBackupInStatus(Path directory) throws InterruptedException {
        HostStatusService status = awaitService(HostStatusService.class, DEFAULT_TIMEOUT);
        String location = directory.resolve(BackupRestorer.BACKUP_FILE_NAME).toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (status.current().lastGoodBackup().filter(backup -> backup.kind() == OperationKind.BACKUP
                && backup.location().equals(location)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the status did not show the backup to " + location + ": " + status.current());
            }
            Thread.sleep(20);
        }
    }

    @Test
    public void theScheduleBundlesCommandsListBackupsBackUpForSafetyCleanAndShowSchedules() throws Exception {
        fill(store, issuer, "Kept ", 2, BACKUP_ALLOWED);
        fill(store, issuer, "Gone ", 1, BACKUP_ALLOWED.withNotAfter(past()));
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, org.licensebackup.api.BackupOptions.adding()));

        String backups = shell("backups", directory.toString());
        assertTrue(backups, backups.matches("(?s)licenses-\\d{8}T\\d{9}Z\\.lbk  .*  2 licenses  .*NOT_VERIFIED\n"));
        Path empty = freshDirectory();
        assertEquals("no backups in " + empty + "\n", shell("backups", empty.toString()));
        String safety = shell("safetybackup");
        assertTrue(safety, safety.matches("(?s)safety backup .*: 2 licenses\n"));

        String clean = shell("clean");
        assertTrue(clean, clean.startsWith("removed 1 of 3 licenses\n  "));
        assertTrue(clean, clean.contains("Gone 0"));
        assertEquals(2, store.count());

        String schedules = shell("schedules");
        assertTrue(schedules, schedules.startsWith("no schedules"));
        assertFailsWith(ErrorCode.BAD_DATA, "runschedule", "no-such-schedule");
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines[lines.length - 1] + "\n";
    }
}
