/**
 * The host-facing API of License Backup: look up the {@link org.licensebackup.api.BackupRestorer}
 * service, start a backup, restore or verify, and follow it through the EventAdmin topics in
 * {@link org.licensebackup.api.EventTopics} with the properties in
 * {@link org.licensebackup.api.EventProperties}.
 */
@Export
@Version("1.2.0")
package org.licensebackup.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
