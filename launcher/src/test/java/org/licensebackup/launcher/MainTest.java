package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void answersTwoAndTheUsageForABadCommandLineWithoutStartingAFramework() {
        assertEquals(Main.BAD_USAGE, new Main(log).run(new String[] {"--fast", "list"}));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("error: unknown option --fast\n" + LauncherOptions.USAGE + "\n", printed);
    }

    @Test
    void answersOneWithAClearLineWhenTheBundleDirectoryIsEmpty(@TempDir Path empty, @TempDir Path home) {
        String previous = System.getProperty(Main.BUNDLES_PROPERTY);
        System.setProperty(Main.BUNDLES_PROPERTY, empty.toString());
        try {
            assertEquals(Main.FAILED, new Main(log).run(new String[] {"--home", home.toString(), "list"}));
        } finally {
            restore(previous);
        }
        assertEquals("error: no bundle (*.jar) in " + empty + "\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAHomeThatIsAFileBeforeStartingAFramework(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("not-a-folder"), "x");
        assertEquals(Main.FAILED, new Main(log).run(new String[] {"--home", file.toString(), "list"}));
        assertEquals("error: STORE_UNAVAILABLE: the home " + file + " is a file, not a folder: give --home a folder"
                + " (a new one is made if missing)\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void takesTheBundleDirectoryFromTheSystemProperty(@TempDir Path directory) throws Exception {
        String previous = System.getProperty(Main.BUNDLES_PROPERTY);
        System.setProperty(Main.BUNDLES_PROPERTY, directory.toString());
        try {
            assertEquals(directory, Main.bundleDirectory());
        } finally {
            restore(previous);
        }
    }

    @Test
    void looksForBundlesNextToTheLauncherByDefault() throws Exception {
        String previous = System.getProperty(Main.BUNDLES_PROPERTY);
        System.clearProperty(Main.BUNDLES_PROPERTY);
        try {
            Path directory = Main.bundleDirectory();
            assertEquals("bundles", directory.getFileName().toString());
            assertTrue(Files.isDirectory(directory.getParent()));
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(Main.BUNDLES_PROPERTY);
        } else {
            System.setProperty(Main.BUNDLES_PROPERTY, previous);
        }
    }
}
