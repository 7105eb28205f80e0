package org.licensebackup.cli.internal;

import java.io.PrintStream;

import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Report;

/** Prints the report of a backup or a restore for a person to read. */
final class Reports {

    private Reports() {
    }

    /**
     * @param maxListed how many left-out licenses to name one by one; the rest are counted
     */
    static void print(Report report, PrintStream out, int maxListed) {
        if (report.kind() == OperationKind.BACKUP) {
            out.println("backed up " + Formats.count(report.succeeded()) + " of " + Formats.count(report.considered())
                    + " licenses in " + Formats.duration(report.elapsed()));
            out.println("backup file " + report.backupFile() + ", " + Formats.size(report.bytes()));
            out.println("excluded " + Formats.count(report.leftOutCount()) + ": " + Formats.reasons(report.leftOutByReason()));
        } else {
            out.println("restored " + Formats.count(report.succeeded()) + " of " + Formats.count(report.considered())
                    + " licenses in " + Formats.duration(report.elapsed()) + " ("
                    + Formats.count(report.unchanged()) + " already in the store as they are)");
            out.println("backup file " + report.backupFile() + ", " + Formats.size(report.bytes())
                    + ", made on device " + report.sourceDeviceId());
            out.println("rejected " + Formats.count(report.leftOutCount()) + ": " + Formats.reasons(report.leftOutByReason()));
        }
        listLeftOut(report, out, maxListed);
    }

    private static void listLeftOut(Report report, PrintStream out, int maxListed) {
        int listed = 0;
        for (LicenseOutcome outcome : report.leftOut()) {
            if (listed == maxListed) {
                break;
            }
            out.println("  " + outcome.keyId() + "  " + outcome.title() + "  " + outcome.reason());
            listed++;
        }
        long notListed = report.leftOutCount() - listed;
        if (listed > 0 && notListed > 0) {
            out.println("  ... and " + Formats.count(notListed) + " more");
        }
    }
}
