package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.operator.LicenseCatalog;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.LicenseTrait;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.operator.OperationRecord;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

/** The operator's commands against fakes of the API's services: what they call and what they print. */
class OperatorTest {

    private static final Instant AT = Instant.parse("2026-11-30T01:02:03Z");
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final RecordingRestorer restorer = new RecordingRestorer();
    private final List<LicenseQuery> queries = new ArrayList<>();
    private List<LicenseSummary> licenses = List.of();

    @Test
    void backsUpWithoutOverwriteUnlessAsked() {
        restorer.outcome = Promises.resolved(report(OperationKind.BACKUP));
        run("backup", "dir");
        run("backup", "dir", "--overwrite");
        assertEquals(List.of(BackupOptions.defaults(), BackupOptions.overwriting()), restorer.calls);
        assertTrue(out().startsWith("backing up to dir\n"), out());
        assertTrue(out().contains("backed up 8 of 10 licenses"), out());
        assertTrue(out().contains("excluded 2: BACKUP_NOT_ALLOWED 1, EXPIRED 1"), out());
        assertTrue(out().contains("kid  Some Film  EXPIRED"), out());
    }

    @Test
    void restoresWithConsentOnlyWhenAsked() {
        restorer.outcome = Promises.resolved(report(OperationKind.RESTORE));
        run("restore", "dir");
        run("restore", "dir", "--rebind");
        assertEquals(List.of(RestoreOptions.defaults(), RestoreOptions.withRebindConsent()), restorer.calls);
        assertTrue(out().contains("restored 8 of 10 licenses"), out());
    }

    @Test
    void verifiesTheDirectoryGiven() {
        restorer.outcome = Promises.resolved(report(OperationKind.VERIFY));
        run("verify", "dir");
        assertEquals(List.of(Path.of("dir")), restorer.calls);
        assertTrue(out().contains("a restore would take 8 of 10 licenses"), out());
        assertTrue(out().contains("it would reject 2: BACKUP_NOT_ALLOWED 1, EXPIRED 1"), out());
    }

    @Test
    void releasesTheKeyIdsGivenAndSaysHowManyTheServerTookBackAndWhichItDidNot() {
        restorer.outcome = Promises.resolved(report(OperationKind.RELEASE));
        run("release", "kid1", "kid2");
        assertEquals(List.of(List.of("kid1", "kid2")), restorer.calls);
        assertTrue(out().contains("gave back 8 of 10 licenses, deleted from the store, in "), out());
        assertTrue(out().contains("not given back 2: BACKUP_NOT_ALLOWED 1, EXPIRED 1"), out());
    }

    @Test
    void showsTheDeviceAllowanceThatAVerifyLearntAndTheSupportLinkOfARefusal() {
        Report verified = report(OperationKind.VERIFY);
        restorer.outcome = Promises.resolved(new Report(verified.operationId(), verified.kind(), verified.backupFile(),
                verified.considered(), verified.succeeded(), verified.unchanged(),
                Map.of(Reason.DEVICE_LIMIT_REACHED, 1L),
                List.of(new LicenseOutcome("kid", "Some Film", Reason.DEVICE_LIMIT_REACHED, "https://help/kid")),
                0, verified.bytes(), verified.sourceDeviceId(), verified.elapsed(), OptionalInt.of(1)));
        run("verify", "dir");
        assertTrue(out().contains("may still go to 1 more new device at least"), out());
        assertTrue(out().contains("kid  Some Film  DEVICE_LIMIT_REACHED  see https://help/kid"), out());
    }

    @Test
    void aFailedOperationIsItsExceptionWithItsCode() {
        restorer.outcome = Promises.failed(new BackupRestoreException(ErrorCode.BACKUP_EXISTS, "a backup is in dir"));
        BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> run("backup", "dir"));
        assertEquals(ErrorCode.BACKUP_EXISTS, e.code());
        assertEquals("BACKUP_EXISTS: a backup is in dir", e.getMessage());
    }

    @Test
    void anOperationThatCannotStartFailsLikeOneThatFailed() {
        restorer.refusal = new BackupRestoreException(ErrorCode.BUSY, "another operation runs");
        assertEquals(ErrorCode.BUSY, assertThrows(BackupRestoreException.class, () -> run("restore", "dir")).code());
    }

    @Test
    void aRestoreWhoseEveryLicenseWasRejectedFailsWithNothingRestored() {
        restorer.outcome = Promises.resolved(restoreOfTwoLeftOutFor(Reason.DEVICE_LIMIT_REACHED));
        BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> run("restore", "dir", "--rebind"));
        assertEquals("NOTHING_RESTORED: every license in the backup was rejected (2: DEVICE_LIMIT_REACHED 2);"
                + " the store is as it was", e.getMessage());
    }

    @Test
    void aRestoreThatFoundEveryLicenseNewerInTheStoreIsDone() {
        restorer.outcome = Promises.resolved(restoreOfTwoLeftOutFor(Reason.NEWER_IN_STORE));
        run("restore", "dir");
    }

    @Test
    void listsEveryLicenseWithItsRightsThenTheCount() {
        licenses = List.of(summary("kid1", "Counted Film", OptionalInt.of(7), LicenseTrait.BACKUP_ALLOWED,
                LicenseTrait.STATEFUL, LicenseTrait.BOUND_HERE), summary("kid2", "Plain Film", OptionalInt.empty(),
                LicenseTrait.BACKUP_NOT_ALLOWED, LicenseTrait.BOUND_HERE));
        run("list");
        assertEquals("kid1  Counted Film  [backup, 7 plays left]\n" + "kid2  Plain Film  [no backup]\n" + "2 licenses\n",
                out());
        assertEquals(List.of(LicenseQuery.all()), queries);
    }

    @Test
    void listsWithTheFiltersGiven() {
        run("list", "--title", "blue", "--key-id", "AAE", "--rights", "backup-allowed,bound-elsewhere");
        assertEquals(List.of(LicenseQuery.all().withTitleContaining("blue").withKeyIdStartingWith("AAE")
                .with(LicenseTrait.BACKUP_ALLOWED).with(LicenseTrait.BOUND_ELSEWHERE)), queries);
        assertEquals("0 licenses\n", out());
    }

    @Test
    void anEmptyListingOfAStoreThatLostItsLicensesSaysWhatItHeldAndWhatToDo() {
        HostStatus status = new HostStatus("embedded", OptionalLong.of(0), "the license store embedded holds no licenses,"
                + " but it held 850 licenses on 2026-12-01T10:00:00Z: it was deleted or emptied; restore your newest backup"
                + " (restore DIR) to bring them back", "device-a", List.of(), Optional.empty(), OptionalInt.empty());
        operator(() -> () -> status).run(OperatorParser.parse("list"));
        assertEquals("0 licenses\nnote: " + status.storeProblem() + "\n", out());
    }

    @Test
    void statusTellsTheStoreTheDeviceTheLastGoodBackupAndTheRecentOperations() {
        OperationRecord good = new OperationRecord("op-1", OperationKind.BACKUP, "/b/licenses.lbk",
                OperationStatus.COMPLETED, Optional.empty(), "", AT, 5, 0, 1, OptionalInt.empty());
        OperationRecord failed = new OperationRecord("op-2", OperationKind.BACKUP, "/b/licenses.lbk",
                OperationStatus.FAILED, Optional.of(ErrorCode.BACKUP_EXISTS), "BACKUP_EXISTS: a backup is there",
                AT.plusSeconds(60), 0, 0, 0, OptionalInt.empty());
        HostStatus status = new HostStatus("embedded", OptionalLong.of(1234), "", "device-a", List.of(failed, good),
                Optional.of(good), OptionalInt.of(3));
        operator(() -> () -> status).run(new OperatorCommand.Status());
        assertEquals("""
                device:           device-a
                license store:    embedded, 1,234 licenses
                last good backup: 2026-11-30 01:02:03Z BACKUP COMPLETED /b/licenses.lbk: 5 succeeded, 1 left out
                allowance:        each license of the last verified backup may still go to 3 more new device(s) at least
                recent operations, newest first:
                  2026-11-30 01:03:03Z BACKUP FAILED /b/licenses.lbk: BACKUP_EXISTS: a backup is there
                  2026-11-30 01:02:03Z BACKUP COMPLETED /b/licenses.lbk: 5 succeeded, 1 left out
                """, out());
    }

    @Test
    void statusOfAFreshHostWithAStoreThatDoesNotOpenSaysSo() {
        HostStatus status = new HostStatus("embedded", OptionalLong.empty(), "cannot open the license store", "device-a",
                List.of(), Optional.empty(), OptionalInt.empty());
        operator(() -> () -> status).run(new OperatorCommand.Status());
        assertTrue(out().contains("license store:    embedded (cannot open the license store)\n"), out());
        assertTrue(out().contains("last good backup: none since this host started\n"), out());
        assertTrue(out().contains("recent operations: none since this host started\n"), out());
    }

    @Test
    void statusWithoutAStoreSaysWhyItsComponentDidNotStart() {
        HostStatus status = new HostStatus("", OptionalLong.empty(), "no license store is available", "device-a",
                List.of(), Optional.empty(), OptionalInt.empty());
        OperatorServices services = new OperatorServices(untouchable(), untouchable(), () -> () -> status, () -> { },
                () -> { throw new AssertionError("a status needs no store"); },
                () -> Optional.of("the store file /h/licenses.db is damaged: move it aside (keep it), then restore"));

        new Operator(services, display(), print()).run(new OperatorCommand.Status());

        assertTrue(out().contains("license store:    none (the store file /h/licenses.db is damaged: move it aside (keep it),"
                + " then restore)\n"), out());
    }

    @Test
    void aDamagedDeviceKeyFailsEveryCommandBeforeAnythingElse() {
        Runnable damaged = () -> {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "the device key file /h/device.key is damaged");
        };
        OperatorServices services = new OperatorServices(untouchable(), untouchable(), untouchable(), damaged,
                () -> { throw new AssertionError("the store is not looked at after the device failed"); }, Optional::empty);
        for (String[] command : List.of(new String[] {"list"}, new String[] {"backup", "dir"},
                new String[] {"restore", "dir"}, new String[] {"verify", "dir"}, new String[] {"status"})) {
            BackupRestoreException e = assertThrows(BackupRestoreException.class, () -> new Operator(services,
                    display(), print()).run(OperatorParser.parse(command[0], List.of(command).subList(1, command.length)
                            .toArray(String[]::new))));
            assertEquals(ErrorCode.BAD_DATA, e.code());
        }
    }

    @Test
    void aStoreThatIsNotThereFailsTheCommandsThatNeedIt() {
        OperatorServices services = new OperatorServices(untouchable(), untouchable(), untouchable(), () -> { },
                () -> { throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, "no license store within 10 s"); },
                Optional::empty);
        BackupRestoreException e = assertThrows(BackupRestoreException.class,
                () -> new Operator(services, display(), print()).run(new OperatorCommand.ListLicenses(LicenseQuery.all())));
        assertEquals("STORE_UNAVAILABLE: no license store within 10 s", e.getMessage());
    }

    private void run(String name, String... args) {
        operator(untouchable()).run(OperatorParser.parse(name, args));
    }

    private Operator operator(Supplier<org.licensebackup.api.operator.HostStatusService> status) {
        LicenseCatalog catalog = query -> {
            queries.add(query);
            return licenses.stream().filter(query::matches);
        };
        return new Operator(new OperatorServices(() -> restorer, () -> catalog, status, () -> { }, () -> { }, Optional::empty),
                display(), print());
    }

    private ProgressDisplay display() {
        return new ProgressDisplay(print(), false, new ProgressBoard(), Duration.ZERO);
    }

    private PrintStream print() {
        return new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private static <T> Supplier<T> untouchable() {
        return () -> {
            throw new AssertionError("this command must not need this service");
        };
    }

    private static LicenseSummary summary(String keyId, String title, OptionalInt playsLeft, LicenseTrait... traits) {
        return new LicenseSummary(keyId, title, "urn:content", "issuer", "device-a", Optional.empty(), Optional.empty(),
                playsLeft, OptionalInt.empty(), Set.of(traits));
    }

    /** A restore's report: two licenses considered, none restored or unchanged, both left out for {@code reason}. */
    private static Report restoreOfTwoLeftOutFor(Reason reason) {
        return new Report("op-1", OperationKind.RESTORE, Path.of("dir", BackupRestorer.BACKUP_FILE_NAME), 2, 0, 0,
                Map.of(reason, 2L), List.of(), 2, 100, "a-device", Duration.ofSeconds(1), OptionalInt.empty());
    }

    private static Report report(OperationKind kind) {
        return new Report("op-1", kind, Path.of("dir", BackupRestorer.BACKUP_FILE_NAME), 10, 8, 0,
                Map.of(Reason.BACKUP_NOT_ALLOWED, 1L, Reason.EXPIRED, 1L),
                List.of(new LicenseOutcome("kid", "Some Film", Reason.EXPIRED)), 1, 12_345, "device-a",
                Duration.ofMillis(250));
    }

    /** Records the options it was called with and answers a prepared outcome. */
    private static final class RecordingRestorer implements BackupRestorer {
        final List<Object> calls = new ArrayList<>();
        Promise<Report> outcome;
        BackupRestoreException refusal;

        @Override
        public Operation backup(Path directory, BackupOptions options) {
            calls.add(options);
            return operation(OperationKind.BACKUP);
        }

        @Override
        public Operation backup(BackupOptions options) {
            throw new AssertionError("the commands always name the directory");
        }

        @Override
        public Operation restore(Path directory, RestoreOptions options) {
            calls.add(options);
            return operation(OperationKind.RESTORE);
        }

        @Override
        public Operation verify(Path directory) {
            calls.add(directory);
            return operation(OperationKind.VERIFY);
        }

        @Override
        public Operation restore(RestoreOptions options) {
            throw new AssertionError("the commands always name the directory");
        }

        @Override
        public Operation release(Collection<String> keyIds) {
            calls.add(List.copyOf(keyIds));
            return operation(OperationKind.RELEASE);
        }

        private Operation operation(OperationKind kind) {
            if (refusal != null) {
                throw refusal;
            }
            Promise<Report> result = outcome;
            return new Operation() {
                @Override
                public String id() {
                    return "op-1";
                }

                @Override
                public OperationKind kind() {
                    return kind;
                }

                @Override
                public Promise<Report> result() {
                    return result;
                }

                @Override
                public boolean cancel() {
                    return false;
                }
            };
        }
    }
}
