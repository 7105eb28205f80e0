package org.licensebackup.schedule.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.licensebackup.api.BackupCatalog;
import org.licensebackup.api.BackupInfo;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.schedule.BackupSchedules;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Report;
import org.licensebackup.api.schedule.ScheduleStatus;
import org.licensebackup.api.hygiene.StoreHygiene;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Shell commands (Felix Gogo, Karaf's console) for schedules and the backups of a directory:
 * {@code license:schedules}, {@code license:runschedule NAME}, {@code license:backups DIR},
 * {@code license:safetybackup}, {@code license:clean}. A command that fails throws a
 * {@link BackupRestoreException}, which the console shows as one line with its code (as the shell
 * bundle's {@code license:backup} and the others do).
 */
@Component(service = ScheduleCommands.class, property = { "osgi.command.scope=license",
        "osgi.command.function=schedules", "osgi.command.function=runschedule", "osgi.command.function=backups",
        "osgi.command.function=safetybackup", "osgi.command.function=clean" })
public class ScheduleCommands {

    private final BackupSchedules schedules;
    private final BackupCatalog catalog;
    private final StoreHygiene hygiene;

    @Activate
    public ScheduleCommands(@Reference BackupSchedules schedules, @Reference BackupCatalog catalog,
            @Reference StoreHygiene hygiene) {
        this.schedules = schedules;
        this.catalog = catalog;
        this.hygiene = hygiene;
    }

    /** One line per schedule: name, directory, last success, failures in a row, next run. */
    public String schedules() {
        List<ScheduleStatus> all = schedules.schedules();
        if (all.isEmpty()) {
            return "no schedules (factory configuration " + ScheduleComponent.FACTORY_PID + ")";
        }
        return all.stream().map(ScheduleCommands::line).collect(Collectors.joining("\n"));
    }

    /** Runs the schedule {@code name}'s backup now; its outcome shows in {@code license:schedules}. */
    public String runschedule(String name) {
        if (!schedules.runNow(name)) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "no schedule named " + name + " (license:schedules lists them)");
        }
        return "schedule " + name + ": backup started";
    }

    /** The backups in {@code directory}, newest first. */
    public String backups(String directory) {
        List<BackupInfo> backups = catalog.list(Path.of(directory));
        if (backups.isEmpty()) {
            return "no backups in " + directory;
        }
        return backups.stream().map(backup -> String.format("%s  %s  device %s  %s licenses  %d bytes  %s",
                backup.name(), backup.createdAt(), backup.deviceId().isEmpty() ? "?" : backup.deviceId(),
                backup.licenseCount() < 0 ? "?" : Long.toString(backup.licenseCount()), backup.bytes(), backup.state()))
                .collect(Collectors.joining("\n"));
    }

    /** Backs up into the safety directory now, as before a risky change, and waits for it. */
    public String safetybackup() throws Exception {
        return await(catalog::backupBeforeChange,
                report -> "safety backup " + report.backupFile() + ": " + report.succeeded() + " licenses");
    }

    /** Removes the licenses that can never be used again, one line each, and waits for it. */
    public String clean() throws Exception {
        return await(hygiene::clean, report -> {
            StringBuilder out = new StringBuilder("removed " + report.succeeded() + " of " + report.considered() + " licenses");
            report.leftOut().forEach(removed -> out.append("\n  ").append(removed.keyId()).append("  ")
                    .append(removed.title()).append("  ").append(removed.reason()));
            if (report.leftOutNotListed() > 0) {
                out.append("\n  and ").append(report.leftOutNotListed()).append(" more");
            }
            return out.toString();
        });
    }

    /** Starts an operation and waits for its report; throws what it failed with. */
    private static String await(Supplier<Operation> start, Function<Report, String> describe) throws Exception {
        Operation operation = start.get();
        Throwable failure = operation.result().getFailure();
        if (failure instanceof BackupRestoreException typed) {
            throw typed;
        }
        if (failure != null) {
            throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, String.valueOf(failure), failure);
        }
        return describe.apply(operation.result().getValue());
    }

    private static String line(ScheduleStatus schedule) {
        return schedule.name() + "  " + schedule.directory() + "  last good " + text(schedule.lastSuccess())
                + "  failures " + schedule.consecutiveFailures() + schedule.lastError().map(code -> " (" + code + ")").orElse("")
                + "  next " + text(schedule.nextRun());
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse("-");
    }
}
