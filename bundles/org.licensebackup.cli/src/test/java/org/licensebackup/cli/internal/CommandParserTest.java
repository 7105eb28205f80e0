package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesEveryCommand() throws UsageException {
        assertEquals(new Command.ListLicenses(), CommandParser.parse("list"));
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Backup(Path.of("dir"), false), CommandParser.parse("backup", "dir"));
        assertEquals(new Command.Restore(Path.of("dir"), false), CommandParser.parse("restore", "dir"));
        assertEquals(new Command.Verify(Path.of("dir")), CommandParser.parse("verify", "dir"));
        assertEquals(new Command.Connect("http://127.0.0.1:8470", Optional.empty()),
                CommandParser.parse("connect", "http://127.0.0.1:8470"));
        assertEquals(new Command.Connect("https://lms.example", Optional.of("KEY")),
                CommandParser.parse("connect", "https://lms.example", "KEY"));
        assertEquals(new Command.Issue(10_000, Path.of("issuer.key")),
                CommandParser.parse("issue", "10,000", "--issuer", "issuer.key"));
        assertEquals(new Command.Server(new ServerSettings(Optional.of("0.0.0.0"), OptionalInt.of(0), OptionalInt.of(3),
                List.of("K1", "@k2.pub"), Optional.of("https://help"), Optional.of(Path.of("info")), Optional.of(
                        new DatabaseSettings("jdbc:postgresql://db/lms", "lms", Optional.of(Path.of("secret")))))),
                CommandParser.parse("server", "--host", "0.0.0.0", "--port", "0", "--device-limit", "3", "--trust", "K1",
                        "--trust", "@k2.pub", "--support-url", "https://help", "--info", "info", "--database", "jdbc:postgresql://db/lms",
                        "--database-user", "lms", "--database-password-file", "secret"));
        assertEquals(new Command.Server(new ServerSettings(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty())), CommandParser.parse("server"));
        assertEquals(new Command.UseStore(Optional.of(new DatabaseSettings("jdbc:postgresql://db/licenses", "media", Optional.of(Path.of("pw"))))),
                CommandParser.parse("store", "postgres", "jdbc:postgresql://db/licenses", "--database-user", "media", "--database-password-file", "pw"));
        assertEquals(new Command.UseStore(Optional.empty()), CommandParser.parse("store", "embedded"));
    }

    @Test
    void refusesServerAndIssueOptionsWithoutTheirValues() {
        for (String[] args : List.of(new String[] {"server", "--port"}, new String[] {"server", "--port", "70000"},
                new String[] {"server", "--device-limit", "0"}, new String[] {"server", "--frobnicate", "1"},
                new String[] {"server", "--database-user", "lms"}, new String[] {"server", "--database"},
                new String[] {"server", "--database", "postgres://db"}, new String[] {"store"}, new String[] {"store", "postgres"},
                new String[] {"store", "mysql", "jdbc:mysql://db"}, new String[] {"store", "postgres", "jdbc:postgresql://db", "--frobnicate", "1"},
                new String[] {"issue", "10"}, new String[] {"issue", "--issuer", "f"}, new String[] {"issue", "-3", "--issuer", "f"},
                new String[] {"connect"}, new String[] {"connect", "ftp://x"})) {
            assertThrows(UsageException.class, () -> CommandParser.parse(args), String.join(" ", args));
        }
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
