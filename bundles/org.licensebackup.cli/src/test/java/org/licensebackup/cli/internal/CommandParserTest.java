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
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Connect("http://127.0.0.1:8470", Optional.empty()),
                CommandParser.parse("connect", "http://127.0.0.1:8470"));
        assertEquals(new Command.Connect("https://lms.example", Optional.of("KEY")),
                CommandParser.parse("connect", "https://lms.example", "KEY"));
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
    void refusesServerStoreAndConnectOptionsWithoutTheirValues() {
        for (String[] args : List.of(new String[] {"server", "--port"}, new String[] {"server", "--port", "70000"},
                new String[] {"server", "--device-limit", "0"}, new String[] {"server", "--frobnicate", "1"},
                new String[] {"server", "--database-user", "lms"}, new String[] {"server", "--database"},
                new String[] {"server", "--database", "postgres://db"}, new String[] {"store"}, new String[] {"store", "postgres"},
                new String[] {"store", "mysql", "jdbc:mysql://db"}, new String[] {"store", "postgres", "jdbc:postgresql://db", "--frobnicate", "1"},
                new String[] {"connect"}, new String[] {"connect", "ftp://x"})) {
            assertThrows(UsageException.class, () -> CommandParser.parse(args), String.join(" ", args));
        }
    }

    @Test
    void handsTheContributedCommandsTheirArgumentsAsTheyAre() throws UsageException {
        for (String name : List.of("backup", "restore", "verify", "list", "status", "release", "issue")) {
            assertEquals(new Command.Contributed(name, List.of("a b", "--x", "$y")), CommandParser.parse(name, "a b", "--x", "$y"));
        }
        assertEquals(new Command.Contributed("status", List.of()), CommandParser.parse("status"));
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
    void refusesArgumentsToCommandsThatTakeNone() {
        assertThrows(UsageException.class, () -> CommandParser.parse("demo", "now"));
        assertThrows(UsageException.class, () -> CommandParser.parse("help", "all"));
    }
}
