package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The native library is copied once into the product's folder and sqlite-jdbc pointed at it (the
 * library in this JVM is loaded already: these tests check the copy and the pointers, which is
 * what the next process finds).
 */
class SqliteNativeLibraryTest {

    @TempDir
    Path folder;

    private String pathBefore;
    private String nameBefore;

    @BeforeEach
    void forgetWhereTheLibraryIs() {
        pathBefore = System.clearProperty(SqliteNativeLibrary.PATH_PROPERTY);
        nameBefore = System.clearProperty(SqliteNativeLibrary.NAME_PROPERTY);
    }

    @AfterEach
    void restoreWhereTheLibraryIs() {
        restore(SqliteNativeLibrary.PATH_PROPERTY, pathBefore);
        restore(SqliteNativeLibrary.NAME_PROPERTY, nameBefore);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static byte[] libraryInTheJar() throws Exception {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            return in.readAllBytes();
        }
    }

    private Path copy() {
        return Path.of(System.getProperty(SqliteNativeLibrary.PATH_PROPERTY), System.getProperty(SqliteNativeLibrary.NAME_PROPERTY));
    }

    @Test
    void copiesTheLibraryOfThisPlatformIntoTheFolderAndPointsSqliteJdbcAtIt() throws Exception {
        SqliteNativeLibrary.useCopyIn(folder);

        Path copy = copy();
        assertEquals(folder, copy.getParent().getParent().getParent());
        assertEquals(LibraryLoaderUtil.getNativeLibName(), copy.getFileName().toString());
        assertArrayEquals(libraryInTheJar(), Files.readAllBytes(copy));
    }

    @Test
    void aDamagedCopyIsReplacedAndAGoodOneReusedLeavingOneFile() throws Exception {
        SqliteNativeLibrary.useCopyIn(folder);
        Path copy = copy();
        Files.write(copy, new byte[] {1, 2, 3});
        System.clearProperty(SqliteNativeLibrary.PATH_PROPERTY);

        SqliteNativeLibrary.useCopyIn(folder);
        System.clearProperty(SqliteNativeLibrary.PATH_PROPERTY);
        SqliteNativeLibrary.useCopyIn(folder);

        assertArrayEquals(libraryInTheJar(), Files.readAllBytes(copy));
        try (var files = Files.list(copy.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aPathTheHostSetIsKept() {
        System.setProperty(SqliteNativeLibrary.PATH_PROPERTY, "/the/hosts/choice");

        SqliteNativeLibrary.useCopyIn(folder);

        assertEquals("/the/hosts/choice", System.getProperty(SqliteNativeLibrary.PATH_PROPERTY));
        assertFalse(Files.exists(folder.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())));
    }
}
