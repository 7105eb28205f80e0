/**
 * The host-facing API of License Backup: look up the {@link org.licensebackup.api.BackupRestorer}
 * service, start a backup, restore or verify, and follow it through the EventAdmin topics in
 * {@link org.licensebackup.api.EventTopics} with the properties in
 * {@link org.licensebackup.api.EventProperties}.
 *
 * <p>1.3: {@code END} carries every count of the {@link org.licensebackup.api.Report}
 * ({@link org.licensebackup.api.EventProperties#UNCHANGED} and the left-out counts by reason among
 * them), and an {@link org.licensebackup.api.Operation}'s promise is settled before its {@code END}
 * event is posted; {@link org.licensebackup.api.operator.LicenseCatalog} lists the store's licenses (title,
 * key ID, rights, binding) and {@link org.licensebackup.api.operator.HostStatusService} says where the host
 * stands, for operators.
 *
 * <p>Also in 1.3: several backups in a directory ({@link org.licensebackup.api.BackupOptions#adding()},
 * {@link org.licensebackup.api.BackupCatalog}), safety backups, and scheduled backups
 * ({@link org.licensebackup.api.schedule.BackupSchedules}, {@link org.licensebackup.api.schedule.ScheduleTopics}); store hygiene
 * ({@link org.licensebackup.api.hygiene.StoreHygiene}, {@link org.licensebackup.api.hygiene.HygieneTopics}).
 *
 * <p>1.4: {@link org.licensebackup.api.Reason#RELEASED}, a license a restore leaves out because this device gave it
 * back; {@link org.licensebackup.api.Reason#NOT_RELEASED}, a license a release left where it was.
 *
 * <p>1.5: {@link org.licensebackup.api.ReadinessService}, whether the device identity and each store
 * serve, and why not.
 *
 * <p>2.0: the types of other audiences moved, unchanged, into packages of their own, so that a change
 * for one of them no longer re-versions what every host imports: {@code org.licensebackup.api.operator}
 * (the catalog and the host's status), {@code org.licensebackup.api.schedule} (scheduled backups) and
 * {@code org.licensebackup.api.hygiene} (store hygiene). What stays here is what a host uses to back up,
 * restore and follow them.
 */
@Export
@Version("2.0.0")
package org.licensebackup.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
