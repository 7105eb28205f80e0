package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where SQLite's native library is loaded from. Left to itself, sqlite-jdbc copies the library out
 * of its jar into the temporary directory under a new name at each start ({@code
 * sqlite-<version>-<random>-libsqlitejdbc.so} and a {@code .lck} beside it) and removes the copy at
 * a normal exit, but a process that is killed leaves both behind for good: its clean-up skips
 * copies whose {@code .lck} remains. Here the library is copied once into a folder of the product's
 * (beside the store: {@code native/sqlite-jdbc-<version>/<platform>/}), and sqlite-jdbc is told to
 * load that copy ({@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}): one file, reused
 * by every run.
 *
 * <p>A host that sets {@code org.sqlite.lib.path} itself keeps its choice. If the copy cannot be
 * made or loaded (a folder mounted {@code noexec}, or the sqlite-jdbc bundle refreshed in the same
 * JVM, whose new class loader may not load the library a previous one did), sqlite-jdbc falls back
 * to its own copy in the temporary directory.
 */
final class SqliteNativeLibrary {

    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {
    }

    /**
     * Makes sure {@code folder} holds this sqlite-jdbc's library for this platform and points
     * sqlite-jdbc at it, unless it was pointed somewhere already.
     */
    static synchronized void useCopyIn(Path folder) {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        byte[] library;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return; // no library for this platform in the jar: sqlite-jdbc looks on java.library.path
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            return; // sqlite-jdbc reads it itself, and says what is wrong if it cannot either
        }
        // the library keeps its name in the jar: sqlite-jdbc's own fallback looks that name up in
        // the jar, so a name of ours would break the fallback; the folders say version and platform
        String platform = LibraryLoaderUtil.getNativeLibResourcePath().replaceAll(".*/native/", "").replace('/', '-');
        Path copyFolder = folder.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()).resolve(platform);
        Path copy = copyFolder.resolve(LibraryLoaderUtil.getNativeLibName());
        try {
            if (!Files.isRegularFile(copy) || !Arrays.equals(library, Files.readAllBytes(copy))) {
                write(copy, library);
            }
        } catch (IOException e) {
            return; // sqlite-jdbc's own copy in the temporary directory serves
        }
        System.setProperty(PATH_PROPERTY, copyFolder.toString());
        System.setProperty(NAME_PROPERTY, LibraryLoaderUtil.getNativeLibName());
    }

    /** Writes beside, then renames: a process that reads the copy at the same time never sees half of it. */
    private static void write(Path copy, byte[] library) throws IOException {
        Files.createDirectories(copy.getParent());
        Path partial = Files.createTempFile(copy.getParent(), copy.getFileName().toString(), ".partial");
        try {
            // a temporary file is the owner's only: no other user can swap in a library of theirs
            Files.write(partial, library);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
