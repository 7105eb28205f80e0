package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesEveryCommand() throws UsageException {
        assertEquals(new Command.Demo(), CommandParser.parse("demo"));
        assertEquals(new Command.ListLicenses(), CommandParser.parse("list"));
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Backup(Path.of("dir"), false), CommandParser.parse("backup", "dir"));
        assertEquals(new Command.Restore(Path.of("dir"), false), CommandParser.parse("restore", "dir"));
        assertEquals(new Command.Verify(Path.of("dir")), CommandParser.parse("verify", "dir"));
    }

    @Test
    void takesTheFlagsBeforeOrAfterTheDirectory() throws UsageException {
        assertEquals(new Command.Backup(Path.of("dir"), true), CommandParser.parse("backup", "dir", "--overwrite"));
        assertEquals(new Command.Restore(Path.of("dir"), true), CommandParser.parse("restore", "--rebind", "dir"));
    }

    @Test
    void refusesAnEmptyCommandLine() {
        assertTrue(assertThrows(UsageException.class, CommandParser::parse).getMessage().contains("no command"));
    }

    @Test
    void refusesAnUnknownCommand() {
        assertTrue(assertThrows(UsageException.class, () -> CommandParser.parse("frobnicate")).getMessage()
                .contains("unknown command: frobnicate"));
    }

    @Test
    void refusesABackupWithoutADirectory() {
        assertThrows(UsageException.class, () -> CommandParser.parse("backup"));
        assertThrows(UsageException.class, () -> CommandParser.parse("backup", "--overwrite"));
    }

    @Test
    void refusesTwoDirectories() {
        assertThrows(UsageException.class, () -> CommandParser.parse("restore", "a", "b"));
    }

    @Test
    void refusesTheOtherCommandsFlag() {
        assertTrue(assertThrows(UsageException.class, () -> CommandParser.parse("backup", "dir", "--rebind")).getMessage()
                .contains("unknown option --rebind"));
        assertThrows(UsageException.class, () -> CommandParser.parse("restore", "dir", "--overwrite"));
        assertThrows(UsageException.class, () -> CommandParser.parse("verify", "dir", "--rebind"));
    }

    @Test
    void refusesAFlagGivenTwice() {
        assertThrows(UsageException.class, () -> CommandParser.parse("backup", "dir", "--overwrite", "--overwrite"));
    }

    @Test
    void refusesArgumentsToCommandsThatTakeNone() {
        assertThrows(UsageException.class, () -> CommandParser.parse("demo", "now"));
        assertThrows(UsageException.class, () -> CommandParser.parse("list", "all"));
    }

    @Test
    void refusesABlankDirectory() {
        assertThrows(UsageException.class, () -> CommandParser.parse("backup", " "));
    }

    @Test
    void refusesAPathTheFileSystemCannotName() {
        assertThrows(UsageException.class, () -> CommandParser.parse("backup", "a\0b"));
    }
}
