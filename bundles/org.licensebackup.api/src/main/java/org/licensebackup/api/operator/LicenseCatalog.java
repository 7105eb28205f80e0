package org.licensebackup.api.operator;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;

import java.util.stream.Stream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The licenses of the license store bound now, as an operator or a host's user sees them: title,
 * key ID, rights, binding; never key material. A service, beside {@link BackupRestorer}. Since 1.3.
 */
@ProviderType
public interface LicenseCatalog {

    /**
     * The licenses that {@code query} matches, in key-ID order, read as the store streams them (a
     * million licenses are never all in memory). Close the stream (try-with-resources): it holds the
     * store's snapshot.
     *
     * @throws BackupRestoreException {@link ErrorCode#STORE_UNAVAILABLE} when there is no store,
     *     {@link ErrorCode#IO_ERROR} when the store cannot be read, {@link ErrorCode#BAD_DATA} for a null query
     */
    Stream<LicenseSummary> licenses(LicenseQuery query);
}
