package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

import org.licensebackup.store.StoreException;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/** What {@link EmbeddedLicenseStore#open(Path, int)} does: the file made owner-only, an old store migrated, the store opened. */
public final class StoreOpening {

    /** The folder beside the store that holds SQLite's native library (see {@link SqliteNativeLibrary}). */
    static final String NATIVE_FOLDER = "native";

    private StoreOpening() {
    }

    /** @see EmbeddedLicenseStore#open(Path, int) */
    public static EmbeddedLicenseStore open(Path file, int cacheSizeMb) {
        Objects.requireNonNull(file, "file");
        if (cacheSizeMb < 1) {
            throw new IllegalArgumentException("the cache size of the license store is at least 1 MiB, not " + cacheSizeMb);
        }
        Path absolute = file.toAbsolutePath();
        createDirectories(absolute);
        SqliteNativeLibrary.useCopyIn(absolute.resolveSibling(NATIVE_FOLDER));
        StoreMigration.migrateIfFound(absolute, cacheSizeMb);
        createOwnerOnly(absolute);
        return SqliteLicenseStore.open(absolute, cacheSizeMb);
    }

    private static void createDirectories(Path file) {
        Path directory = file.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create the folder " + directory + " of the license store: " + e
                    + ": check that it is a folder (not a file) and writable by this user", e);
        }
    }

    /**
     * Creates an empty file readable by its owner only, or leaves an existing one as it is: SQLite
     * gives its WAL and shared-memory files the permissions of the store's file.
     */
    static void createOwnerOnly(Path file) {
        try {
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException alreadyThere) {
            // an existing store keeps the permissions it has
        } catch (IOException e) {
            throw new StoreException("cannot create the license store " + file + ": " + e
                    + ": check that its folder is writable by this user", e);
        }
    }
}
