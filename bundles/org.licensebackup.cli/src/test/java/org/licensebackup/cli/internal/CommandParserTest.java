package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesItsOwnCommands() throws UsageException {
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Server(List.of("--port", "0", "--info", "a b")), CommandParser.parse("server", "--port", "0", "--info", "a b"));
        assertEquals(new Command.Server(List.of()), CommandParser.parse("server"));
    }

    @Test
    void handsTheContributedCommandsTheirArgumentsAsTheyAre() throws UsageException {
        for (String name : List.of("backup", "restore", "verify", "list", "status", "release", "issue", "backups",
                "safetybackup", "clean", "schedules", "runschedule", "newdevice", "connect", "store")) {
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
