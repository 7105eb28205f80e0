package org.licensebackup.store.embedded;

import java.nio.file.Path;

import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.embedded.internal.StoreOpening;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A license store in one file (SQLite in WAL mode, beside it its {@code -wal} and {@code -shm} files
 * while it is open), with real transactions: what a transaction writes goes to disk as it is
 * written, not to the heap, so a transaction of a million licenses runs in a small heap; a committed
 * transaction is on the disk when {@code commit} returns and survives a crash, an uncommitted one is
 * rolled back. A stream of the licenses reads one snapshot, however long it takes and however many
 * transactions commit meanwhile. Several processes may open the same file: writers take turns,
 * readers never wait. Whoever opens it closes it.
 */
@ProviderType
public interface EmbeddedLicenseStore extends LicenseStore, AutoCloseable {

    /** The file name the store uses when none is configured. */
    String DEFAULT_FILE_NAME = "licenses.db";

    /**
     * The page cache of each connection to the store when none is configured: small, so that the
     * whole product runs in 64 MiB of heap (SQLite's cache lives outside the Java heap).
     */
    int DEFAULT_CACHE_SIZE_MB = 8;

    /**
     * Opens the store in {@code file}, creating it (owner-only) and its directories if needed. A store
     * of an earlier version (H2 MVStore) found in {@code file} itself, or as {@code X.mv.db} beside a
     * {@code file} named {@code X.db} that does not exist yet, is migrated first: its licenses are
     * copied and counted, and the old file is kept, renamed to {@code X.mv.db.migrated}.
     *
     * @param cacheSizeMb the page cache of each connection, in MiB (at least 1)
     * @throws StoreException when the file cannot be opened (not a store, damaged, not writable) or an
     *         old store found cannot be migrated; the message names the file and what to do
     * @throws IllegalArgumentException for a cache size below 1
     */
    static EmbeddedLicenseStore open(Path file, int cacheSizeMb) {
        return StoreOpening.open(file, cacheSizeMb);
    }

    /** The file the store is kept in. */
    Path file();

    /**
     * Closes the store's idle connections; the last connection to close folds the WAL into the file
     * and removes it. Streams and transactions still open fail from then on (a transaction is rolled
     * back).
     */
    @Override
    void close();
}
