package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.license.KeyId;

/** license:support and license:operator as a console runs them: the desk's answers printed, its refusals one line. */
class SupportCommandTest {

    private static final KeyId FILM = KeyId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

    @TempDir
    Path folder;
    private LedgerDatabase database;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private SupportCommand command;

    @BeforeEach
    void open() {
        database = LedgerDatabase.embedded(folder.resolve("ledger"), H2Drivers.h2());
        Ledger ledger = new Ledger(database.dataSource());
        ledger.migrate();
        ledger.addSession("s-1", "device-a", new byte[32], new byte[32], Long.MAX_VALUE, 1);
        ledger.reserve("s-1", Map.of(FILM, new Ledger.LicenseFacts("A Film", "studio")), 1000,
                devices -> new Ledger.Decision<>(Map.of(FILM, Set.of("device-a")), null));
        ledger.commit("s-1", 1000);
        ServerMetrics metrics = new ServerMetrics(Clock.systemUTC(), new ServerMetrics.Gauges(() -> 0, () -> 0, () -> 0, 1));
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command = new SupportCommand(new SupportDesk(database.dataSource(), 4, Clock.systemUTC(), metrics), () -> out);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theShellShowsAndFreesWhatTheConsoleDoes() {
        command.support("license", FILM.toString());
        assertTrue(printed().contains("license " + FILM + ": A Film, issuer studio"), printed());
        assertTrue(printed().contains("devices 1 of 4, allowance left 3"), printed());

        command.support("free", FILM.toString(), "device-a", "--reason", "computer died", "--by", "alice");
        assertTrue(printed().contains("freed: #1 ") && printed().contains(" alice FREE_SLOT device device-a license " + FILM + ": computer died"),
                printed());
        command.support("today");
        assertTrue(printed().contains("released.operator 1"), printed());

        SupportException notHeld = assertThrows(SupportException.class,
                () -> command.support("free-device", "device-a", "--reason", "again"));
        assertEquals("NOT_HELD: device device-a holds no slot of any license", notHeld.getMessage());
    }

    @Test
    void aCommandLineItDoesNotTakeIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> command.support());
        assertThrows(IllegalArgumentException.class, () -> command.support("free", FILM.toString(), "device-a"));
        assertThrows(IllegalArgumentException.class, () -> command.support("free", FILM.toString(), "device-a", "--reason"));
        assertThrows(IllegalArgumentException.class, () -> command.support("license"));
        assertThrows(IllegalArgumentException.class, () -> command.support("delete-audit"));
    }

    @Test
    void anOperatorIsAddedWithThePasswordFromTheInputNeverFromTheCommandLine() throws Exception {
        Path operators = folder.resolve("operators");
        OperatorCommand operator = new OperatorCommand(() -> new PrintStream(printed, true, StandardCharsets.UTF_8),
                () -> new ByteArrayInputStream("a long enough password\n".getBytes(StandardCharsets.UTF_8)));
        operator.operator("add", operators.toString(), "alice");
        assertEquals(Optional.of("alice"), new OperatorsFile(operators).authenticate("alice", "a long enough password".toCharArray()));

        String before = Files.readString(operators);
        OperatorCommand short_ = new OperatorCommand(() -> System.out, () -> new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> short_.operator("add", operators.toString(), "bob"));
        assertThrows(IllegalArgumentException.class, () -> operator.operator("add", operators.toString(), "bob", "a long enough password"));
        assertThrows(BackupRestoreException.class,
                () -> operator.operator("add", operators.toString(), "bob", "--password-file", folder.resolve("missing").toString()));
        assertEquals(before, Files.readString(operators));
        assertEquals(List.of(), List.of(before.split("\n")).stream().filter(line -> line.contains("password")).toList());
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
