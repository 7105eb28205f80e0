package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsFileTest {

    private static final String PASSWORD = "a long enough password";

    @TempDir
    Path folder;

    @Test
    void theFileHoldsABcryptHashNeverThePasswordAndOnlyTheOwnerReadsIt() throws IOException {
        OperatorsFile operators = new OperatorsFile(folder.resolve("operators"));
        operators.put("alice", PASSWORD.toCharArray());

        String text = Files.readString(operators.file());
        assertFalse(text.contains(PASSWORD));
        assertTrue(text.lines().anyMatch(line -> line.matches("alice:\\$2[aby]\\$" + OperatorsFile.COST + "\\$.{53}")), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(operators.file())));
    }

    @Test
    void theRightPasswordLogsInAWrongOneOrAnUnknownNameDoesNot() throws IOException {
        OperatorsFile operators = new OperatorsFile(folder.resolve("operators"));
        operators.put("alice", PASSWORD.toCharArray());
        operators.put("bob", "bob's own long password".toCharArray());

        assertEquals(Optional.of("alice"), operators.authenticate("alice", PASSWORD.toCharArray()));
        assertEquals(Optional.empty(), operators.authenticate("alice", "a long enough passwore".toCharArray()));
        assertEquals(Optional.empty(), operators.authenticate("alice", "bob's own long password".toCharArray()));
        assertEquals(Optional.empty(), operators.authenticate("carol", PASSWORD.toCharArray()));
        assertEquals(Optional.empty(), operators.authenticate(null, PASSWORD.toCharArray()));
    }

    @Test
    void puttingAnOperatorAgainReplacesTheirPasswordAndKeepsTheOthersAndComments() throws IOException {
        OperatorsFile operators = new OperatorsFile(folder.resolve("operators"));
        operators.put("alice", PASSWORD.toCharArray());
        operators.put("bob", "bob's own long password".toCharArray());
        operators.put("alice", "alice's new long password".toCharArray());

        assertEquals(Optional.empty(), operators.authenticate("alice", PASSWORD.toCharArray()));
        assertEquals(Optional.of("alice"), operators.authenticate("alice", "alice's new long password".toCharArray()));
        assertEquals(Optional.of("bob"), operators.authenticate("bob", "bob's own long password".toCharArray()));
        assertEquals(1, Files.readAllLines(operators.file()).stream().filter(line -> line.startsWith("alice:")).count());
        assertTrue(Files.readAllLines(operators.file()).get(0).startsWith("#"));
    }

    @Test
    void aShortPasswordAndABadNameAreRefusedAndTheFileStaysAsItWas() throws IOException {
        OperatorsFile operators = new OperatorsFile(folder.resolve("operators"));
        operators.put("alice", PASSWORD.toCharArray());
        String before = Files.readString(operators.file());

        assertThrows(IllegalArgumentException.class, () -> operators.put("bob", "short".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> operators.put("bob:root", PASSWORD.toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> operators.put("bob", "x".repeat(73).toCharArray()));
        assertEquals(before, Files.readString(operators.file()));
    }

    @Test
    void aMissingFileIsAnErrorNotAnOpenDoor() {
        OperatorsFile operators = new OperatorsFile(folder.resolve("missing"));
        assertThrows(IOException.class, () -> operators.authenticate("alice", PASSWORD.toCharArray()));
    }
}
