/**
 * The backup file: a streaming, encrypted, authenticated and signed container of licenses, whose
 * file key is wrapped for the device that made it and, when it has one, for its license management
 * service, with the device's key escrowed once for that service, which re-binds the licenses at
 * restore. {@link org.licensebackup.format.BackupWriter} writes one record at a time in bounded
 * memory and commits the file atomically; {@link org.licensebackup.format.BackupReader} reads it
 * back, refusing any damaged, truncated, altered or forged file with a
 * {@link org.licensebackup.format.BackupFormatException}. The byte layout is specified in
 * {@code docs/backup-format.md}.
 *
 * <p>2.0: the writer writes format version 2 (file key also wrapped for the device itself; the
 * service optional and named with its signing key), so {@code BackupWriter.create} takes the
 * device's agreement key and a {@link org.licensebackup.format.ServiceRecipient}; the reader
 * authenticates the header before it asks for the file key, and opens it as the device or through
 * the service; {@link org.licensebackup.format.BackupHeader} is no longer a record and the record
 * count moved to {@link org.licensebackup.format.BackupReader#recordCount()}. Version 1 files stay
 * readable.
 *
 * <p>2.1: a version 2 header's device ID must be the one its keys make
 * ({@link org.licensebackup.crypto.DeviceIds}); the reader refuses one that is not as
 * {@link org.licensebackup.format.BackupFormatException.Kind#FORGED}, and the writer does not write it.
 */
@Export
@Version("2.1.0")
package org.licensebackup.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
