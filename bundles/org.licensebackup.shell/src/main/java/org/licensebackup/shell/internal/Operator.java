package org.licensebackup.shell.internal;

import java.io.PrintStream;
import java.util.Objects;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.api.operator.OperationRecord;
import org.licensebackup.api.OperationStatus;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;

/**
 * Runs an operator's command against the API's services and prints what it did for a person to
 * read: the one implementation behind the shell's {@code license:*} commands and the launcher's
 * command line. A command that fails throws a {@link BackupRestoreException} (its code and one line);
 * what it printed up to then stays.
 */
final class Operator {

    /** How many excluded or rejected licenses a backup or restore names one by one. */
    static final int MAX_LISTED = 20;

    private final OperatorServices services;
    private final ProgressDisplay display;
    private final PrintStream out;

    /** @param display shows the progress of operations, on {@code out} */
    Operator(OperatorServices services, ProgressDisplay display, PrintStream out) {
        this.services = Objects.requireNonNull(services, "services");
        this.display = Objects.requireNonNull(display, "display");
        this.out = Objects.requireNonNull(out, "out");
    }

    void run(OperatorCommand command) {
        // Before anything else: a damaged key file or a store that does not open is the whole story,
        // told at once, and no command on a broken home ends as if it worked. The status says what
        // it can of a store that does not open, so it needs the device alone.
        services.deviceReady().run();
        if (!(command instanceof OperatorCommand.Status)) {
            services.storeReady().run();
        }
        try {
            execute(command);
        } finally {
            out.flush();
        }
    }

    private void execute(OperatorCommand command) {
        if (command instanceof OperatorCommand.Backup backup) {
            out.println("backing up to " + backup.directory());
            Report report = display.follow(services.restorer().get().backup(backup.directory(),
                    backup.overwrite() ? BackupOptions.overwriting() : BackupOptions.defaults()), "backup");
            Reports.print(report, out, MAX_LISTED);
        } else if (command instanceof OperatorCommand.Restore restore) {
            out.println("restoring from " + restore.directory());
            Report report = display.follow(services.restorer().get().restore(restore.directory(),
                    restore.rebindConsent() ? RestoreOptions.withRebindConsent() : RestoreOptions.defaults()), "restore");
            Reports.print(report, out, MAX_LISTED);
            if (nothingRestoredForRefusals(report)) {
                throw new BackupRestoreException(ErrorCode.NOTHING_RESTORED, "every license in the backup was rejected ("
                        + Reports.leftOut(report) + "); the store is as it was");
            }
        } else if (command instanceof OperatorCommand.Verify verify) {
            out.println("verifying " + verify.directory());
            Reports.print(display.follow(services.restorer().get().verify(verify.directory()), "verify"), out, MAX_LISTED);
        } else if (command instanceof OperatorCommand.Release release) {
            out.println("giving back " + Formats.licenses(release.keyIds().size()) + " to the license management server");
            Reports.print(display.follow(services.restorer().get().release(release.keyIds()), "release"), out, MAX_LISTED);
        } else if (command instanceof OperatorCommand.ListLicenses list) {
            list(list);
        } else {
            status(services.status().get().current());
        }
    }

    /**
     * Licenses came, none went in, and none is in the store already (as it is, or newer): every one
     * was refused, which the user must not take for a restore done.
     */
    static boolean nothingRestoredForRefusals(Report report) {
        return report.leftOutCount() > 0 && report.succeeded() == 0 && report.unchanged() == 0
                && !report.leftOutByReason().containsKey(Reason.NEWER_IN_STORE);
    }

    private void list(OperatorCommand.ListLicenses list) {
        long count = 0;
        try (Stream<LicenseSummary> licenses = services.catalog().get().licenses(list.query())) {
            for (LicenseSummary license : (Iterable<LicenseSummary>) licenses::iterator) {
                out.println(license.keyId() + "  " + license.title() + "  [" + Formats.rights(license) + "]");
                count++;
            }
        }
        out.println(Formats.licenses(count));
        if (count == 0 && list.query().equals(LicenseQuery.all())) {
            // an empty listing may be a store that lost its licenses: the status knows, and says what to do
            String problem = services.status().get().current().storeProblem();
            if (!problem.isEmpty()) {
                out.println("note: " + problem);
            }
        }
    }

    private void status(HostStatus status) {
        out.println("device:           " + status.deviceId());
        String problem = status.storeName().isEmpty() ? services.storeFailure().get().orElse(status.storeProblem())
                : status.storeProblem();
        out.println("license store:    " + (status.storeName().isEmpty() ? "none" : status.storeName())
                + (status.licenseCount().isPresent() ? ", " + Formats.licenses(status.licenseCount().getAsLong()) : "")
                + (problem.isEmpty() ? "" : " (" + problem + ")"));
        out.println("last good backup: " + status.lastGoodBackup().map(Operator::describe)
                .orElse("none since this host started"));
        out.println("allowance:        " + (status.fewestDevicesLeft().isPresent()
                ? "each license of the last verified backup may still go to "
                        + Formats.count(status.fewestDevicesLeft().getAsInt()) + " more new device(s) at least"
                : "unknown (verify a backup from another device to learn it)"));
        if (status.recentOperations().isEmpty()) {
            out.println("recent operations: none since this host started");
            return;
        }
        out.println("recent operations, newest first:");
        status.recentOperations().forEach(operation -> out.println("  " + describe(operation)));
    }

    /**
     * "2026-11-30 01:02:03Z BACKUP COMPLETED /b/licenses.lbk: 5 succeeded, 1 left out", or
     * "... BACKUP FAILED /b/licenses.lbk: BACKUP_EXISTS: a backup is there".
     */
    static String describe(OperationRecord operation) {
        StringBuilder line = new StringBuilder(Formats.time(operation.endedAt())).append(' ').append(operation.kind())
                .append(' ').append(operation.status());
        if (!operation.location().isEmpty()) {
            line.append(' ').append(operation.location());
        }
        if (operation.status() == OperationStatus.COMPLETED) {
            line.append(": ").append(Formats.count(operation.succeeded())).append(" succeeded");
            if (operation.unchanged() > 0) {
                line.append(", ").append(Formats.count(operation.unchanged())).append(" unchanged");
            }
            if (operation.leftOut() > 0) {
                line.append(", ").append(Formats.count(operation.leftOut())).append(" left out");
            }
        } else {
            // END's message starts with its code, as a BackupRestoreException's does
            line.append(": ").append(operation.message().isEmpty()
                    ? operation.error().map(ErrorCode::name).orElse("") : operation.message());
        }
        return line.toString();
    }
}
