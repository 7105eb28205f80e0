package org.licensebackup.shell.internal;

import java.io.PrintStream;

import org.licensebackup.api.LicenseOutcome;
import org.licensebackup.api.Report;

/** Prints the report of a backup, a restore or a verification for a person to read. */
final class Reports {

    private Reports() {
    }

    /**
     * @param maxListed how many left-out licenses to name one by one; the rest are counted
     */
    static void print(Report report, PrintStream out, int maxListed) {
        switch (report.kind()) {
            case BACKUP -> {
                out.println("backed up " + ofConsidered(report) + " in " + Formats.duration(report.elapsed()));
                out.println("backup file " + report.backupFile() + ", " + Formats.size(report.bytes()));
                out.println("excluded " + leftOut(report));
            }
            case RESTORE -> {
                out.println("restored " + ofConsidered(report) + " in " + Formats.duration(report.elapsed()) + " ("
                        + Formats.count(report.unchanged()) + " already in the store as they are)");
                out.println(sourceOf(report));
                out.println("rejected " + leftOut(report));
            }
            case VERIFY -> {
                out.println("the backup is sound: a restore would take " + ofConsidered(report) + " (checked in "
                        + Formats.duration(report.elapsed()) + ")");
                out.println(sourceOf(report));
                out.println("it would reject " + leftOut(report));
                report.fewestDevicesLeft().ifPresent(left -> out.println("device allowance: each license it would"
                        + " take may still go to " + Formats.count(left) + " more new " + (left == 1 ? "device" : "devices")
                        + " at least"));
            }
            case RELEASE -> {
                out.println("gave back " + ofConsidered(report) + ", deleted from the store, in " + Formats.duration(report.elapsed()));
                out.println("not given back " + leftOut(report));
            }
        }
        listLeftOut(report, out, maxListed);
    }

    private static String ofConsidered(Report report) {
        return Formats.count(report.succeeded()) + " of " + Formats.count(report.considered()) + " licenses";
    }

    private static String sourceOf(Report report) {
        return "backup file " + report.backupFile() + ", " + Formats.size(report.bytes()) + ", made on device "
                + report.sourceDeviceId();
    }

    /** "none", or "1,500: BACKUP_NOT_ALLOWED 1,000, EXPIRED 500". */
    static String leftOut(Report report) {
        return report.leftOutCount() == 0 ? "none"
                : Formats.count(report.leftOutCount()) + ": " + Formats.reasons(report.leftOutByReason());
    }

    private static void listLeftOut(Report report, PrintStream out, int maxListed) {
        int listed = 0;
        for (LicenseOutcome outcome : report.leftOut()) {
            if (listed == maxListed) {
                break;
            }
            out.println("  " + outcome.keyId() + "  " + outcome.title() + "  " + outcome.reason()
                    + (outcome.supportUrl().isEmpty() ? "" : "  see " + outcome.supportUrl()));
            listed++;
        }
        long notListed = report.leftOutCount() - listed;
        if (listed > 0 && notListed > 0) {
            out.println("  ... and " + Formats.count(notListed) + " more");
        }
    }
}
