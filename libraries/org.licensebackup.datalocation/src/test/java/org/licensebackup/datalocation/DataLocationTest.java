package org.licensebackup.datalocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class DataLocationTest {

    @TempDir
    Path folder;

    @Test
    void theConfiguredPathComesFirst() {
        Path configured = folder.resolve("configured.db");
        assertEquals(configured, DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, folder.resolve("home").toString()),
                folder), configured.toString(), "file.db", "pid"));
    }

    @Test
    void aRelativeConfiguredPathLivesInTheHome() {
        Path home = folder.resolve("home");
        assertEquals(home.resolve("stores").resolve("other.db"), DataLocation.resolve(
                context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), folder.resolve("data")),
                "stores/other.db", "file.db", "pid"));
    }

    @Test
    void withoutAPathTheFileLivesInTheLicenseBackupHome() {
        Path home = folder.resolve("home");
        assertEquals(home.resolve("file.db"), DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, home.toString()),
                folder.resolve("data")), " ", "file.db", "pid"));
    }

    @Test
    void theHomePropertyWinsOverKarafsInstance() {
        Path home = folder.resolve("home");
        assertEquals(home, DataLocation.home(context(Map.of(DataLocation.HOME_PROPERTY, home.toString(),
                "karaf.base", folder.resolve("karaf").toString(), "user.home", folder.toString()), null)));
    }

    @Test
    void inKarafWithoutTheHomePropertyTheHomeIsInTheInstanceOutsideItsDataFolder() {
        Path karaf = folder.resolve("karaf");
        Path home = DataLocation.home(context(Map.of("karaf.base", karaf.toString(), "karaf.data",
                karaf.resolve("data").toString(), "user.home", folder.toString()), null));

        assertEquals(karaf.resolve("licensebackup"), home);
        assertFalse(home.startsWith(karaf.resolve("data")));
    }

    @Test
    void elsewhereWithoutTheHomePropertyTheHomeIsTheLaunchersDefaultInTheUsersHomeDirectory() {
        assertEquals(folder.resolve(".licensebackup"), DataLocation.home(context(Map.of("user.home", folder.toString()), null)));
    }

    @Test
    void theFileNeverLivesInTheBundlesDataArea() {
        Path data = folder.resolve("data");
        Path file = DataLocation.resolve(context(Map.of("user.home", folder.toString()), data), null, "file.db", "pid");

        assertEquals(folder.resolve(".licensebackup").resolve("file.db"), file);
        assertFalse(file.startsWith(data));
    }

    @Test
    void withoutAnyPlaceItFailsNamingThePropertyToSet() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> DataLocation.resolve(context(Map.of(), folder.resolve("data")), "", "file.db", "org.example.pid"));
        assertTrue(failure.getMessage().contains(DataLocation.HOME_PROPERTY), failure.getMessage());
    }

    @Test
    void anEarlierVersionsFilesAreMovedFromTheDataAreaToTheHomeWithTheirJournalsAndExtensions() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Path home = folder.resolve("home");
        write(data.resolve("licenses.db"), "store");
        write(data.resolve("licenses.db-wal"), "journal");
        write(data.resolve("licenses.mv.db"), "store of version 0.1");
        write(data.resolve("device.key"), "another component's file");

        Path file = inHome(home, data, "licenses.db");

        assertEquals(home.resolve("licenses.db"), file);
        assertEquals("store", read(home.resolve("licenses.db")));
        assertEquals("journal", read(home.resolve("licenses.db-wal")));
        assertEquals("store of version 0.1", read(home.resolve("licenses.mv.db")));
        assertEquals(List.of(data.resolve("device.key")), list(data));
        assertEquals(List.of("licenses.db", "licenses.db-wal", "licenses.mv.db"), names(home));
    }

    @Test
    void aFileThatTheDatabaseEngineNamesIsMovedByItsStem() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Path home = folder.resolve("home");
        write(data.resolve("lms-server.mv.db"), "ledger");

        DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), data), null, "lms-server", "pid");

        assertEquals("ledger", read(home.resolve("lms-server.mv.db")));
        assertEquals(List.of(), list(data));
    }

    @Test
    void aMoveKeepsTheFilesPermissions() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        assumeTrue(Files.getFileStore(data).supportsFileAttributeView("posix"));
        Path key = write(data.resolve("device.key"), "keys");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path home = folder.resolve("home");

        Path moved = inHome(home, data, "device.key");

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(moved));
    }

    @Test
    void whatTheHomeAlreadyHasWinsAndTheDataAreasOtherFileIsNotOverwrittenNorDeleted() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Path home = Files.createDirectories(folder.resolve("home"));
        write(home.resolve("device.key"), "the home's device");
        write(data.resolve("device.key"), "the data area's device");

        inHome(home, data, "device.key");

        assertEquals("the home's device", read(home.resolve("device.key")));
        assertEquals("the data area's device", read(data.resolve("device.key")));
    }

    @Test
    void aMoveCutShortIsFinishedByTheNextOne() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        Path home = Files.createDirectories(folder.resolve("home"));
        // copied and renamed, not yet deleted from the data area; the journal was being copied
        write(data.resolve("licenses.db"), "store");
        write(home.resolve("licenses.db"), "store");
        write(data.resolve("licenses.db-wal"), "journal");
        write(home.resolve("licenses.db-wal.moving"), "jour");

        inHome(home, data, "licenses.db");

        assertEquals(List.of(), list(data));
        assertEquals(List.of("licenses.db", "licenses.db-wal"), names(home));
        assertEquals("journal", read(home.resolve("licenses.db-wal")));
    }

    @Test
    void aHomeThatCannotBeMadeFailsNamingWhatToSetAndLeavesTheOldFilesWhereTheyWere() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        write(data.resolve("device.key"), "keys");
        Path notADirectory = write(folder.resolve("home"), "a file");

        UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> DataLocation.resolve(
                context(Map.of(DataLocation.HOME_PROPERTY, notADirectory.toString()), data), "", "device.key", "org.example.pid"));

        assertTrue(failure.getMessage().contains("org.example.pid path"), failure.getMessage());
        assertTrue(failure.getMessage().contains(DataLocation.HOME_PROPERTY), failure.getMessage());
        assertArrayEquals("keys".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(data.resolve("device.key")));
    }

    @Test
    void aConfiguredPathMovesNothing() throws Exception {
        Path data = Files.createDirectories(folder.resolve("data"));
        write(data.resolve("device.key"), "keys");
        Path home = folder.resolve("home");

        DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), data), "mine.key", "device.key", "pid");

        assertEquals(List.of(data.resolve("device.key")), list(data));
        assertFalse(Files.exists(home.resolve("device.key")));
    }

    /** Where the component's default file lives with the home {@code home} and the data area {@code data}. */
    private static Path inHome(Path home, Path data, String defaultFileName) {
        return DataLocation.resolve(context(Map.of(DataLocation.HOME_PROPERTY, home.toString()), data), "", defaultFileName, "pid");
    }

    private static Path write(Path file, String content) throws Exception {
        return Files.writeString(file, content);
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    private static List<Path> list(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static List<String> names(Path directory) throws Exception {
        return list(directory).stream().map(file -> file.getFileName().toString()).toList();
    }

    private static BundleContext context(Map<String, String> properties, Path dataArea) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) arguments[0]);
                    case "getDataFile" -> dataArea == null ? null : new File(dataArea.toFile(), (String) arguments[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
