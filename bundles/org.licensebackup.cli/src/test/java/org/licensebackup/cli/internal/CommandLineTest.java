package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

class CommandLineTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final RecordingRestorer restorer = new RecordingRestorer();
    private LicenseStore store = new ListedStore(List.of());

    @Test
    void answersTwoAndTheUsageOnStderrForAnUnknownCommand() {
        assertEquals(CommandLine.BAD_USAGE, commandLineWithoutServices().run("frobnicate"));
        assertEquals("error: unknown command: frobnicate\n" + Command.USAGE + "\n", err());
        assertEquals("", out());
    }

    @Test
    void answersTwoForNoCommandAtAll() {
        assertEquals(CommandLine.BAD_USAGE, commandLineWithoutServices().run());
        assertTrue(err().contains("usage: "));
    }

    @Test
    void answersTwoForABackupWithoutADirectory() {
        assertEquals(CommandLine.BAD_USAGE, commandLineWithoutServices().run("backup"));
        assertTrue(err().startsWith("error: backup needs exactly one directory"));
    }

    @Test
    void printsHelpWithoutAnyService() {
        assertEquals(CommandLine.OK, commandLineWithoutServices().run("help"));
        assertTrue(out().startsWith(Command.USAGE));
    }

    @Test
    void backsUpWithoutOverwriteUnlessAsked() {
        restorer.outcome = Promises.resolved(report(OperationKind.BACKUP));
        assertEquals(CommandLine.OK, commandLine().run("backup", "dir"));
        assertEquals(CommandLine.OK, commandLine().run("backup", "dir", "--overwrite"));
        assertEquals(List.of(BackupOptions.defaults(), BackupOptions.overwriting()), restorer.calls);
        assertTrue(out().contains("backed up 8 of 10 licenses"), out());
        assertTrue(out().contains("excluded 2: BACKUP_NOT_ALLOWED 1, EXPIRED 1"), out());
        assertTrue(out().contains("kid  Some Film  EXPIRED"), out());
    }

    @Test
    void restoresWithConsentOnlyWhenAsked() {
        restorer.outcome = Promises.resolved(report(OperationKind.RESTORE));
        assertEquals(CommandLine.OK, commandLine().run("restore", "dir"));
        assertEquals(CommandLine.OK, commandLine().run("restore", "dir", "--rebind"));
        assertEquals(List.of(RestoreOptions.defaults(), RestoreOptions.withRebindConsent()), restorer.calls);
        assertTrue(out().contains("restored 8 of 10 licenses"), out());
    }

    @Test
    void verifiesTheDirectoryGiven() {
        restorer.outcome = Promises.resolved(report(OperationKind.VERIFY));
        assertEquals(CommandLine.OK, commandLine().run("verify", "dir"));
        assertEquals(List.of(Path.of("dir")), restorer.calls);
        assertTrue(out().contains("a restore would take 8 of 10 licenses"), out());
        assertTrue(out().contains("it would reject 2: BACKUP_NOT_ALLOWED 1, EXPIRED 1"), out());
    }

    @Test
    void releasesTheKeyIdsGivenAndSaysHowManyLicensesWentFromTheStore() {
        restorer.outcome = Promises.resolved(report(OperationKind.RELEASE));
        assertEquals(CommandLine.OK, commandLine().run("release", "kid1", "kid2"));
        assertEquals(List.of(List.of("kid1", "kid2")), restorer.calls);
        assertTrue(out().contains("gave back 10 key IDs; deleted 8 licenses from the store"), out());
    }

    @Test
    void showsTheDeviceAllowanceThatAVerifyLearntAndTheSupportLinkOfARefusal() {
        Report verified = report(OperationKind.VERIFY);
        restorer.outcome = Promises.resolved(new Report(verified.operationId(), verified.kind(), verified.backupFile(),
                verified.considered(), verified.succeeded(), verified.unchanged(),
                Map.of(Reason.DEVICE_LIMIT_REACHED, 1L),
                List.of(new LicenseOutcome("kid", "Some Film", Reason.DEVICE_LIMIT_REACHED, "https://help/kid")),
                0, verified.bytes(), verified.sourceDeviceId(), verified.elapsed(), OptionalInt.of(1)));
        assertEquals(CommandLine.OK, commandLine().run("verify", "dir"));
        assertTrue(out().contains("may still go to 1 more new device at least"), out());
        assertTrue(out().contains("kid  Some Film  DEVICE_LIMIT_REACHED  see https://help/kid"), out());
    }

    @Test
    void printsOneErrorLineWithTheCodeAndAnswersOneWhenTheOperationFails() {
        restorer.outcome = Promises.failed(new BackupRestoreException(ErrorCode.BACKUP_EXISTS, "a backup is in dir"));
        assertEquals(CommandLine.FAILED, commandLine().run("backup", "dir"));
        assertEquals("error: BACKUP_EXISTS: a backup is in dir\n", err());
    }

    @Test
    void reportsAnOperationThatCannotStartLikeOneThatFailed() {
        restorer.refusal = new BackupRestoreException(ErrorCode.BUSY, "another operation runs");
        assertEquals(CommandLine.FAILED, commandLine().run("restore", "dir"));
        assertEquals("error: BUSY: another operation runs\n", err());
    }

    @Test
    void reportsAFailingStoreAsAnIoError() {
        store = new ListedStore(null);
        assertEquals(CommandLine.FAILED, commandLine().run("list"));
        assertEquals("error: IO_ERROR: license store: the disk is gone\n", err());
    }

    @Test
    void reportsAMissingServiceWithItsCode() {
        Supplier<LicenseStore> missing = () -> {
            throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, "no license store within 10 s");
        };
        Services services = new Services(() -> restorer, missing, () -> UNCALLED_DEVICE, untouchable(), untouchable(), () -> { throw new AssertionError("nothing waits for a stop here"); });
        assertEquals(CommandLine.FAILED, commandLine(services).run("list"));
        assertEquals("error: STORE_UNAVAILABLE: no license store within 10 s\n", err());
    }

    @Test
    void listsEveryLicenseWithItsRightsAndUseThenTheCount() {
        License counted = license("Counted Film", Rights.unlimited().withBackupAllowed(true).withPlayCount(10))
                .withUsage(new Usage(3, 0, Instant.parse("2024-05-01T10:00:00Z")));
        License plain = license("Plain Film", Rights.unlimited());
        store = new ListedStore(List.of(counted, plain));
        assertEquals(CommandLine.OK, commandLine().run("list"));
        assertEquals(counted.keyId() + "  Counted Film  [backup, 10 plays]  3 plays, 0 copies, first 2024-05-01\n"
                + plain.keyId() + "  Plain Film  [no backup]  unused\n"
                + "2 licenses\n", out());
    }

    @Test
    void aDamagedDeviceKeyFailsEveryCommandOnTheHomeBeforeTheStoreIsTouched() {
        Supplier<DeviceIdentity> damaged = () -> {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "the device key file /h/device.key is damaged");
        };
        for (String[] command : List.of(new String[] {"list"}, new String[] {"backup", "dir"}, new String[] {"restore", "dir"},
                new String[] {"verify", "dir"})) {
            Services services = new Services(untouchable(), untouchable(), damaged, untouchable(), untouchable(),
                    () -> { throw new AssertionError("nothing waits for a stop here"); });
            assertEquals(CommandLine.FAILED, commandLine(services).run(command));
        }
        assertEquals("error: BAD_DATA: the device key file /h/device.key is damaged\n".repeat(4), err());
    }

    @Test
    void aRestoreWhoseEveryLicenseWasRejectedFailsWithOneLine() {
        restorer.outcome = Promises.resolved(restoreOfTwoLeftOutFor(Reason.DEVICE_LIMIT_REACHED));
        assertEquals(CommandLine.FAILED, commandLine().run("restore", "dir", "--rebind"));
        assertEquals("error: NOTHING_RESTORED: every license in the backup was rejected (2: DEVICE_LIMIT_REACHED 2);"
                + " the store is as it was\n", err());
    }

    @Test
    void aRestoreThatFoundEveryLicenseNewerInTheStoreIsDone() {
        restorer.outcome = Promises.resolved(restoreOfTwoLeftOutFor(Reason.NEWER_IN_STORE));
        assertEquals(CommandLine.OK, commandLine().run("restore", "dir"));
    }

    /** A restore's report: two licenses considered, none restored or unchanged, both left out for {@code reason}. */
    private static Report restoreOfTwoLeftOutFor(Reason reason) {
        return new Report("op-1", OperationKind.RESTORE, Path.of("dir", BackupRestorer.BACKUP_FILE_NAME), 2, 0, 0,
                Map.of(reason, 2L), List.of(), 2, 100, "a-device", Duration.ofSeconds(1), OptionalInt.empty());
    }

    /** A device identity that the commands here check for but never call. */
    private static final DeviceIdentity UNCALLED_DEVICE = (DeviceIdentity) Proxy.newProxyInstance(
            DeviceIdentity.class.getClassLoader(), new Class<?>[] {DeviceIdentity.class}, (proxy, method, args) -> {
                throw new AssertionError("no command here uses the device's keys: " + method.getName());
            });

    private CommandLine commandLine() {
        return commandLine(new Services(() -> restorer, () -> store, () -> UNCALLED_DEVICE, untouchable(), untouchable(),
                () -> { throw new AssertionError("nothing waits for a stop here"); }));
    }

    private CommandLine commandLineWithoutServices() {
        return commandLine(new Services(untouchable(), untouchable(), untouchable(), untouchable(), untouchable(),
                () -> { throw new AssertionError("nothing waits for a stop here"); }));
    }

    private CommandLine commandLine(Services services) {
        PrintStream out = print(outBytes);
        return new CommandLine(services, new ProgressDisplay(out, false, new ProgressBoard(), Duration.ZERO), out,
                print(errBytes), null);
    }

    private static <T> Supplier<T> untouchable() {
        return () -> {
            throw new AssertionError("this command must not need this service");
        };
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static Report report(OperationKind kind) {
        return new Report("op-1", kind, Path.of("dir", BackupRestorer.BACKUP_FILE_NAME), 10, 8, 0,
                Map.of(Reason.BACKUP_NOT_ALLOWED, 1L, Reason.EXPIRED, 1L),
                List.of(new LicenseOutcome("kid", "Some Film", Reason.EXPIRED)), 1, 12_345, "device-a",
                Duration.ofMillis(250));
    }

    private static License license(String title, Rights rights) {
        KeyId keyId = KeyId.of(new byte[16]);
        LicenseGrant grant = new LicenseGrant(keyId, "issuer", "urn:content:1", title, rights, "device-a",
                new byte[40], Instant.parse("2024-01-01T00:00:00Z"));
        return License.of(grant, new byte[32], new byte[64], Usage.NONE);
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
            throw new AssertionError("the command line always names the directory");
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
            throw new AssertionError("the command line always names the directory");
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

    /** A store that lists the licenses given, or fails as a broken store does when given none. */
    private record ListedStore(List<License> held) implements LicenseStore {
        @Override
        public long count() {
            return held.size();
        }

        @Override
        public Optional<License> find(KeyId keyId) {
            throw new AssertionError("not used by the command line");
        }

        @Override
        public Stream<License> licenses() {
            if (held == null) {
                throw new StoreException("the disk is gone");
            }
            return held.stream();
        }

        @Override
        public StoreTransaction begin() {
            throw new AssertionError("not used by list");
        }
    }
}
