package org.licensebackup.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;

/** Exit codes and error lines of the command line, with the contributed commands faked. */
class CommandLineTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final List<List<String>> ran = new ArrayList<>();

    @Test
    void answersTwoAndTheUsageOnStderrForAnUnknownCommand() {
        assertEquals(CommandLine.BAD_USAGE, commandLine(untouchable()).run("frobnicate"));
        assertEquals("error: unknown command: frobnicate\n" + Command.USAGE + "\n", err());
        assertEquals("", out());
    }

    @Test
    void answersTwoForNoCommandAtAll() {
        assertEquals(CommandLine.BAD_USAGE, commandLine(untouchable()).run());
        assertTrue(err().contains("usage: "));
    }

    @Test
    void printsHelpWithoutAnyService() {
        assertEquals(CommandLine.OK, commandLine(untouchable()).run("help"));
        assertTrue(out().startsWith(Command.USAGE));
    }

    @Test
    void runsAContributedCommandWithItsArgumentsAndAnswersZero() {
        assertEquals(CommandLine.OK, commandLine(recording()).run("backup", "/backups/a b", "--overwrite"));
        assertEquals(List.of(List.of("backup", "/backups/a b", "--overwrite")), ran);
        assertEquals("", err());
    }

    @Test
    void printsWhatACommandAnswersAsAConsoleWould() {
        ContributedCommands listing = (name, args) -> Optional.of("licenses-20261130T010000000Z.lbk  3 licenses  VERIFIED");
        assertEquals(CommandLine.OK, commandLine(listing).run("backups", "/backups"));
        assertEquals("licenses-20261130T010000000Z.lbk  3 licenses  VERIFIED\n", out());
    }

    @Test
    void printsOneErrorLineWithTheCodeAndAnswersOneWhenTheCommandFails() {
        ContributedCommands failing = (name, args) -> {
            throw new BackupRestoreException(ErrorCode.BACKUP_EXISTS, "a backup is in dir");
        };
        assertEquals(CommandLine.FAILED, commandLine(failing).run("backup", "dir"));
        assertEquals("error: BACKUP_EXISTS: a backup is in dir\n", err());
    }

    @Test
    void answersTwoWithTheUsageWhenTheCommandRefusesItsArguments() {
        ContributedCommands refusing = (name, args) -> {
            throw new IllegalArgumentException("backup needs exactly one directory, got 0");
        };
        assertEquals(CommandLine.BAD_USAGE, commandLine(refusing).run("backup"));
        assertEquals("error: backup needs exactly one directory, got 0\n" + Command.USAGE + "\n", err());
    }

    @Test
    void anythingElseIsAnInternalErrorOnOneLine() {
        ContributedCommands broken = (name, args) -> {
            throw new IllegalStateException("no session");
        };
        assertEquals(CommandLine.FAILED, commandLine(broken).run("status"));
        assertEquals("error: INTERNAL_ERROR: java.lang.IllegalStateException: no session\n", err());
    }

    @Test
    void runsTheServerAsTheLicenseServersCommandAndThenUntilStopped() {
        List<String> events = new ArrayList<>();
        ContributedCommands server = (name, args) -> {
            events.add(name + " " + String.join(" ", args));
            outBytes.writeBytes("license management server listening at http://127.0.0.1:1/\n".getBytes(StandardCharsets.UTF_8));
            return Optional.empty();
        };
        CommandLine commandLine = new CommandLine(new Services(server, () -> events.add("stopped")), print(outBytes),
                print(errBytes));
        assertEquals(CommandLine.OK, commandLine.run("server", "--port", "0", "--info", "i"));
        assertEquals(List.of("server --port 0 --info i", "stopped"), events);
        assertEquals("license management server listening at http://127.0.0.1:1/\nstop it with Ctrl-C\n", out());
    }

    @Test
    void aServerThatDoesNotStartEndsTheCommandLineWithItsErrorAndDoesNotWait() {
        ContributedCommands failing = (name, args) -> {
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, "the license server did not start within 30 s");
        };
        assertEquals(CommandLine.FAILED, commandLine(failing).run("server"));
        assertEquals("error: RESTORE_SERVICE_UNAVAILABLE: the license server did not start within 30 s\n", err());
        assertEquals("", out());
    }

    @Test
    void answersTwoWithTheUsageWhenTheServerRefusesItsOptions() {
        ContributedCommands refusing = (name, args) -> {
            throw new IllegalArgumentException("server: unknown option --frobnicate");
        };
        assertEquals(CommandLine.BAD_USAGE, commandLine(refusing).run("server", "--frobnicate", "1"));
        assertEquals("error: server: unknown option --frobnicate\n" + Command.USAGE + "\n", err());
    }

    private ContributedCommands recording() {
        return (name, args) -> {
            List<String> call = new ArrayList<>(List.of(name));
            call.addAll(args);
            ran.add(call);
            return Optional.empty();
        };
    }

    private static ContributedCommands untouchable() {
        return (name, args) -> {
            throw new AssertionError("no contributed command runs here");
        };
    }

    private CommandLine commandLine(ContributedCommands contributed) {
        return new CommandLine(new Services(contributed, () -> {
            throw new AssertionError("nothing waits for a stop here");
        }), print(outBytes), print(errBytes));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }
}
