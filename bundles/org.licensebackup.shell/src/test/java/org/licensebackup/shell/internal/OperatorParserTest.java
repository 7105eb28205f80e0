package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseTrait;

class OperatorParserTest {

    private static String refusal(String name, String... args) {
        return assertThrows(IllegalArgumentException.class, () -> OperatorParser.parse(name, args)).getMessage();
    }

    @Test
    void parsesEveryCommand() {
        assertEquals(new OperatorCommand.Backup(Path.of("dir"), false), OperatorParser.parse("backup", "dir"));
        assertEquals(new OperatorCommand.Backup(Path.of("dir"), true), OperatorParser.parse("backup", "dir", "--overwrite"));
        assertEquals(new OperatorCommand.Restore(Path.of("dir"), true), OperatorParser.parse("restore", "dir", "--rebind"));
        assertEquals(new OperatorCommand.Verify(Path.of("dir")), OperatorParser.parse("verify", "dir"));
        assertEquals(new OperatorCommand.Release(List.of("k1", "k2")), OperatorParser.parse("release", "k1", "k2"));
        assertEquals(new OperatorCommand.ListLicenses(LicenseQuery.all()), OperatorParser.parse("list"));
        assertEquals(new OperatorCommand.Status(), OperatorParser.parse("status"));
    }

    @Test
    void takesTheFlagsBeforeOrAfterTheDirectory() {
        assertEquals(OperatorParser.parse("backup", "--overwrite", "dir"), OperatorParser.parse("backup", "dir", "--overwrite"));
    }

    @Test
    void takesListFiltersRepeatedAndCommaSeparatedInAnyCase() {
        assertEquals(new OperatorCommand.ListLicenses(LicenseQuery.all().withTitleContaining("Blue Planet")
                        .with(LicenseTrait.EXPIRED).with(LicenseTrait.BOUND_HERE).with(LicenseTrait.USED_UP)),
                OperatorParser.parse("list", "--title", "Blue Planet", "--rights", "expired, BOUND_HERE",
                        "--rights", "used-up"));
    }

    @Test
    void refusesARightItDoesNotKnowAndNamesThoseItDoes() {
        String message = refusal("list", "--rights", "cheap");
        assertTrue(message.startsWith("list --rights: not a right: cheap (one of backup-allowed, backup-not-allowed,"),
                message);
    }

    @Test
    void refusesAListOptionWithoutItsValue() {
        assertEquals("list: --title needs a value", refusal("list", "--title"));
        assertTrue(refusal("list", "--colour", "red").startsWith("list: unknown option --colour"));
    }

    @Test
    void refusesABackupWithoutADirectoryOrWithTwo() {
        assertEquals("backup needs exactly one directory, got 0", refusal("backup"));
        assertEquals("restore needs exactly one directory, got 2", refusal("restore", "a", "b"));
    }

    @Test
    void refusesTheOtherCommandsFlagAndAFlagGivenTwice() {
        assertEquals("backup: unknown option --rebind (only --overwrite)", refusal("backup", "dir", "--rebind"));
        assertEquals("verify: unknown option --overwrite", refusal("verify", "dir", "--overwrite"));
        assertEquals("backup: --overwrite given twice", refusal("backup", "dir", "--overwrite", "--overwrite"));
    }

    @Test
    void refusesAReleaseWithoutKeyIdsAndArgumentsToStatus() {
        assertTrue(refusal("release").startsWith("release needs one or more key IDs"));
        assertEquals("status takes no arguments, got: now", refusal("status", "now"));
    }

    @Test
    void refusesABlankDirectoryAPathTheFileSystemCannotNameAndANullArgument() {
        assertEquals("backup: the directory is empty", refusal("backup", " "));
        assertTrue(refusal("backup", "a\0b").startsWith("backup: not a path: "));
        assertEquals("backup: the command line holds a null argument", refusal("backup", (String) null));
    }

    @Test
    void refusesAnUnknownCommand() {
        assertEquals("unknown command: frobnicate", refusal("frobnicate"));
    }
}
