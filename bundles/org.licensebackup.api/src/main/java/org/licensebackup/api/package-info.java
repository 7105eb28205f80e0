/**
 * The host-facing API of License Backup: look up the {@link org.licensebackup.api.BackupRestorer}
 * service, start a backup, restore or verify, and follow it through the EventAdmin topics in
 * {@link org.licensebackup.api.EventTopics} with the properties in
 * {@link org.licensebackup.api.EventProperties}.
 *
 * <p>1.3: several backups in a directory ({@link org.licensebackup.api.BackupOptions#adding()},
 * {@link org.licensebackup.api.BackupCatalog}), safety backups, and scheduled backups
 * ({@link org.licensebackup.api.BackupSchedules}, {@link org.licensebackup.api.ScheduleTopics}); store hygiene
 * ({@link org.licensebackup.api.StoreHygiene}, {@link org.licensebackup.api.HygieneTopics}).
 */
@Export
@Version("1.3.0")
package org.licensebackup.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
