package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesEveryCommand() throws UsageException {
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Connect("http://127.0.0.1:8470", Optional.empty()),
                CommandParser.parse("connect", "http://127.0.0.1:8470"));
        byte[] key = "an Ed25519 key of 32 bytes, say.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String standard = java.util.Base64.getEncoder().encodeToString(key);
        assertEquals(new Command.Connect("https://lms.example", Optional.of(standard)),
                CommandParser.parse("connect", "https://lms.example", standard));
        assertEquals(new Command.Connect("https://lms.example", Optional.of(standard)),
                CommandParser.parse("connect", "https://lms.example", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key)),
                "a key in the URL-safe spelling is kept in the standard one");
        assertEquals(new Command.Server(List.of("--port", "0", "--info", "a b")), CommandParser.parse("server", "--port", "0", "--info", "a b"));
        assertEquals(new Command.Server(List.of()), CommandParser.parse("server"));
        assertEquals(new Command.UseStore(Optional.of(new org.licensebackup.options.DatabaseSettings("jdbc:postgresql://db/licenses", "media", Optional.of(Path.of("pw"))))),
                CommandParser.parse("store", "postgres", "jdbc:postgresql://db/licenses", "--database-user", "media", "--database-password-file", "pw"));
        assertEquals(new Command.UseStore(Optional.empty()), CommandParser.parse("store", "embedded"));
    }

    @Test
    void refusesStoreAndConnectOptionsWithoutTheirValues() {
        for (String[] args : List.of(new String[] {"store"}, new String[] {"store", "postgres"},
                new String[] {"store", "postgres", "jdbc:postgresql://db", "--database-user"},
                new String[] {"store", "mysql", "jdbc:mysql://db"}, new String[] {"store", "postgres", "jdbc:postgresql://db", "--frobnicate", "1"},
                new String[] {"connect"}, new String[] {"connect", "ftp://x"},
                new String[] {"connect", "http://127.0.0.1:8480/", "garbage!"}, new String[] {"connect", "http://127.0.0.1:8480/", "S0VZ"})) {
            assertThrows(UsageException.class, () -> CommandParser.parse(args), String.join(" ", args));
        }
    }

    @Test
    void handsTheContributedCommandsTheirArgumentsAsTheyAre() throws UsageException {
        for (String name : List.of("backup", "restore", "verify", "list", "status", "release", "issue", "backups",
                "safetybackup", "clean", "schedules", "runschedule", "newdevice")) {
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
