/**
 * Scheduled backups: where each schedule stands ({@link org.licensebackup.api.schedule.BackupSchedules})
 * and the EventAdmin topics of their runs ({@link org.licensebackup.api.schedule.ScheduleTopics}).
 * Moved here from {@code org.licensebackup.api} 1.5, unchanged, in 1.0.
 */
@Export
@Version("1.0.0")
package org.licensebackup.api.schedule;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
