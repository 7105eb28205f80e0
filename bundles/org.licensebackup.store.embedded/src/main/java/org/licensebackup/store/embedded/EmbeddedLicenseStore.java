package org.licensebackup.store.embedded;

import java.nio.file.Path;

import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.embedded.internal.MvLicenseStore;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A license store in one file (H2 MVStore), with real transactions: what a transaction writes goes
 * to disk as it is written, not to the heap, so a transaction of a million licenses runs in a small
 * heap; a committed transaction survives a crash, an uncommitted one is rolled back at the next open.
 * Whoever opens it closes it.
 */
@ProviderType
public interface EmbeddedLicenseStore extends LicenseStore, AutoCloseable {

    /** The file name the store uses when none is configured. */
    String DEFAULT_FILE_NAME = "licenses.mv.db";

    /** The page cache used when none is configured: small, so that the whole product runs in 64 MiB of heap. */
    int DEFAULT_CACHE_SIZE_MB = 8;

    /**
     * Opens the store in {@code file}, creating it (owner-only) and its directories if needed.
     *
     * @param cacheSizeMb the page cache, in MiB (at least 1)
     * @throws StoreException when the file cannot be opened: not a store, corrupt, locked by another process
     * @throws IllegalArgumentException for a cache size below 1
     */
    static EmbeddedLicenseStore open(Path file, int cacheSizeMb) {
        return MvLicenseStore.open(file, cacheSizeMb);
    }

    /** The file the store is kept in. */
    Path file();

    /** Writes what is committed and closes the file; transactions still open are rolled back at the next open. */
    @Override
    void close();
}
