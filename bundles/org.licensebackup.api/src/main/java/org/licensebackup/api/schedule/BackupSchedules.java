package org.licensebackup.api.schedule;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestorer;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduled backups, one per factory configuration {@code org.licensebackup.schedule}. Each
 * backs up into its directory through {@link BackupRestorer} with {@link BackupOptions#adding()},
 * retries a failed backup with backoff, and then applies its retention policy to the backups it
 * wrote there. What happens is posted under {@link ScheduleTopics}. Since API 1.3.
 */
@ProviderType
public interface BackupSchedules {

    /** Every schedule configured now, by name. */
    List<ScheduleStatus> schedules();

    /** The schedule named {@code name}. */
    Optional<ScheduleStatus> schedule(String name);

    /**
     * Runs the schedule's backup now (and then its retention), outside its timetable.
     *
     * @return false when no schedule is named so
     */
    boolean runNow(String name);
}
