package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;

/**
 * Moves the licenses of an old MVStore store into the SQLite store, once, at the first start of
 * this version. Nothing is lost on the way, whenever the process dies:
 * <ol>
 * <li>the licenses are copied into {@code <store>.migrating}, in one transaction, and counted
 * against the old store; a failure leaves the old file where it was, and the next start tries again
 * from the beginning;</li>
 * <li>the old file is renamed to {@code <old name>.migrated} (never deleted);</li>
 * <li>{@code <store>.migrating} is renamed to the store's name. A start that finds the old file gone
 * and {@code <store>.migrating} there finishes this step.</li>
 * </ol>
 * The old file is either the store's file itself, when it is in the old format (a host configured
 * its path), or {@code X.mv.db} beside a store named {@code X.db} (the default, {@code licenses.db},
 * finds {@code licenses.mv.db} in the same home).
 *
 * <p>Only this reads H2's MVStore, so the bundle imports it optionally: a host without H2 (bundle
 * {@code com.h2database}) runs as well until it finds an old store, which it then refuses to open
 * with a {@link StoreException} that says what to install, leaving every file as it was. Telling an
 * old store by its header needs no H2, and this class touches no H2 class unless it migrates.
 */
final class StoreMigration {

    static final String PARTIAL_SUFFIX = ".migrating";
    static final String ASIDE_SUFFIX = ".migrated";
    private static final int BATCH_SIZE = 2048;
    /** An MVStore file begins with its text header, {@code H:2,...}. */
    private static final byte[] LEGACY_HEADER_START = "H:2,".getBytes(StandardCharsets.US_ASCII);
    /** Named as a string: naming the class would load it, and fail where H2 is not installed. */
    private static final String MVSTORE_CLASS = "org.h2.mvstore.MVStore";

    private StoreMigration() {
    }

    /** The old store that the store in {@code storeFile} replaces, found or not. */
    static Path legacyFileFor(Path storeFile) {
        if (isLegacyStore(storeFile)) {
            return storeFile;
        }
        String name = storeFile.getFileName().toString();
        if (name.endsWith(".db") && !name.endsWith(".mv.db")) {
            return storeFile.resolveSibling(name.substring(0, name.length() - ".db".length()) + ".mv.db");
        }
        return null;
    }

    /**
     * Brings the licenses of an old store found beside or in place of {@code storeFile} into it, if
     * there is one and the store does not exist yet (a store in use is never replaced).
     *
     * @return the count of licenses migrated, or -1 when there was nothing to migrate
     */
    static long migrateIfFound(Path storeFile, int cacheSizeMb) {
        return migrateIfFound(storeFile, cacheSizeMb, mvStoreInstalled());
    }

    /** @param mvStoreInstalled whether H2's MVStore, which reads the old store, can be loaded here */
    static long migrateIfFound(Path storeFile, int cacheSizeMb, boolean mvStoreInstalled) {
        Path partial = storeFile.resolveSibling(storeFile.getFileName() + PARTIAL_SUFFIX);
        Path legacy = legacyFileFor(storeFile);
        boolean storeExists = nonEmpty(storeFile);
        if (legacy == null || !isLegacyStore(legacy) || (storeExists && !legacy.equals(storeFile))) {
            if (!storeExists && Files.exists(partial)) {
                // the old file was already moved aside: this copy is complete
                move(partial, storeFile);
            }
            return -1;
        }
        if (!mvStoreInstalled) {
            throw new StoreException("the license store " + legacy + " is of version 0.1 (H2 MVStore) and must be moved into"
                    + " this version's store once, which takes H2 (the bundle com.h2database, " + MVSTORE_CLASS + "): it is not"
                    + " installed. Install it and start again; nothing was changed");
        }
        long migrated = copy(legacy, partial, cacheSizeMb);
        move(legacy, asideName(legacy));
        move(partial, storeFile);
        return migrated;
    }

    private static long copy(Path legacy, Path partial, int cacheSizeMb) {
        try {
            // left by a start that died while copying: ours, and incomplete
            Files.deleteIfExists(partial);
            Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + "-wal"));
            Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + "-shm"));
        } catch (IOException e) {
            throw new StoreException("cannot remove the unfinished copy " + partial + " of the old license store: " + e
                    + ": remove it by hand, then start again", e);
        }
        StoreOpening.createOwnerOnly(partial);
        long inOldStore;
        long copied;
        try (LegacyMvStore old = LegacyMvStore.open(legacy);
                SqliteLicenseStore copy = SqliteLicenseStore.open(partial, cacheSizeMb)) {
            inOldStore = old.count();
            try (StoreTransaction transaction = copy.begin()) {
                old.forEachBatch(BATCH_SIZE, transaction::put);
                transaction.commit();
            }
            copied = copy.count();
        }
        if (copied != inOldStore || Files.exists(partial.resolveSibling(partial.getFileName() + "-wal"))) {
            throw new StoreException("moving the licenses of the old license store " + legacy + " into " + partial
                    + " went wrong: " + inOldStore + " licenses in the old store, " + copied + " copied. The old store is"
                    + " left as it is and the next start tries again; if this repeats, move " + legacy
                    + " aside (keep it) and restore the licenses from the newest backup");
        }
        return copied;
    }

    /** Whether the file begins as an MVStore file does. */
    static boolean isLegacyStore(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(LEGACY_HEADER_START, in.readNBytes(LEGACY_HEADER_START.length));
        } catch (IOException e) {
            throw new StoreException("cannot read the license store " + file + ": " + e
                    + ": check that it is readable by this user", e);
        }
    }

    /** Whether this bundle sees H2's MVStore: its import is optional, and wired only where H2 is installed. */
    static boolean mvStoreInstalled() {
        try {
            Class.forName(MVSTORE_CLASS, false, StoreMigration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** {@code <name>.migrated}, or {@code <name>.migrated-2} and so on if that is taken: an earlier aside file is never replaced. */
    static Path asideName(Path legacy) {
        Path aside = legacy.resolveSibling(legacy.getFileName() + ASIDE_SUFFIX);
        for (int n = 2; Files.exists(aside); n++) {
            aside = legacy.resolveSibling(legacy.getFileName() + ASIDE_SUFFIX + "-" + n);
        }
        return aside;
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            throw new StoreException("cannot read the license store " + file + ": " + e
                    + ": check that it is readable by this user", e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StoreException("cannot rename " + from + " to " + to + " while moving the old license store"
                    + " into the new one: " + e + ": check that the folder is writable by this user, then start again", e);
        }
    }
}
