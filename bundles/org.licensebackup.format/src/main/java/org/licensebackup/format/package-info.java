/**
 * The backup file: a streaming, encrypted, authenticated and signed container of licenses, with
 * the backing-up device's key escrowed once for the license management service, which re-binds the
 * licenses at restore. {@link org.licensebackup.format.BackupWriter} writes one record at a time in bounded
 * memory and commits the file atomically; {@link org.licensebackup.format.BackupReader} reads it
 * back, refusing any damaged, truncated, altered or forged file with a
 * {@link org.licensebackup.format.BackupFormatException}. The byte layout is specified in
 * {@code docs/backup-format.md}.
 */
@Export
@Version("1.0.0")
package org.licensebackup.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
