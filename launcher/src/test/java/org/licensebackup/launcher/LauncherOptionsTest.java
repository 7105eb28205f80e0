package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

    @Test
    void passesTheCommandAndItsArgumentsOnAsTheyAre() throws UsageException {
        LauncherOptions options = LauncherOptions.parse("backup", "dir", "--overwrite");
        assertEquals(List.of("backup", "dir", "--overwrite"), options.command());
        assertEquals(Optional.empty(), options.home());
        assertFalse(options.verbose());
    }

    @Test
    void readsItsOwnOptionsBeforeTheCommand() throws UsageException {
        LauncherOptions options = LauncherOptions.parse("--verbose", "--home", "/data/lb", "list");
        assertEquals(Optional.of(Path.of("/data/lb")), options.home());
        assertTrue(options.verbose());
        assertEquals(List.of("list"), options.command());
    }

    @Test
    void leavesOptionsAfterTheCommandToTheCommand() throws UsageException {
        assertEquals(List.of("list", "--verbose"), LauncherOptions.parse("list", "--verbose").command());
    }

    @Test
    void knowsTheDemo() throws UsageException {
        assertTrue(LauncherOptions.parse("demo").demo());
        assertFalse(LauncherOptions.parse("list").demo());
    }

    @Test
    void refusesToRunTheDemoInAGivenHome() {
        UsageException refused = assertThrows(UsageException.class,
                () -> LauncherOptions.parse("--home", "/home/me/.licensebackup", "demo"));
        assertTrue(refused.getMessage().contains("leave out --home"));
    }

    @Test
    void turnsTheServerGivenIntoAConnectCommandBeforeTheCommand() throws UsageException {
        LauncherOptions options = LauncherOptions.parse("--lms", "http://127.0.0.1:8470", "--lms-key", "KEY", "list");
        assertEquals(Optional.of(List.of("connect", "http://127.0.0.1:8470", "KEY")), options.connectCommand());
        assertEquals(List.of("list"), options.command());
        assertEquals(Optional.of(List.of("connect", "http://x")), LauncherOptions.parse("--lms", "http://x", "list").connectCommand());
        assertEquals(Optional.empty(), LauncherOptions.parse("list").connectCommand());
    }

    @Test
    void refusesAServerKeyWithoutAServerAndServerOptionsWithoutValues() {
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--lms-key", "KEY", "list"));
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--lms"));
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--lms", "a", "--lms", "b", "list"));
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--lms", "http://x", "demo"));
    }

    @Test
    void refusesHomeWithoutADirectory() {
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--home"));
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--home", " ", "list"));
    }

    @Test
    void refusesHomeGivenTwice() {
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--home", "a", "--home", "b", "list"));
    }

    @Test
    void refusesAnUnknownOption() {
        assertTrue(assertThrows(UsageException.class, () -> LauncherOptions.parse("--fast", "list")).getMessage()
                .contains("--fast"));
    }

    @Test
    void refusesNoCommand() {
        assertThrows(UsageException.class, LauncherOptions::parse);
        assertThrows(UsageException.class, () -> LauncherOptions.parse("--verbose"));
    }

    @Test
    void turnsHelpIntoTheHelpCommand() throws UsageException {
        assertEquals(List.of("help"), LauncherOptions.parse("--help").command());
    }
}
