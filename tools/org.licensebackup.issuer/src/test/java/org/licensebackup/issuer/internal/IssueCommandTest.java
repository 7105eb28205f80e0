package org.licensebackup.issuer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class IssueCommandTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> IssueCommand.parse(args)).getMessage();
    }

    @Test
    void takesACountWithThousandsSeparatorsAndTheIssuersKeyFileInAnyOrder() {
        assertEquals(new IssueCommand.Request(10_000, Path.of("issuer.key")),
                IssueCommand.parse("10,000", "--issuer", "issuer.key"));
        assertEquals(new IssueCommand.Request(5, Path.of("k")), IssueCommand.parse("--issuer", "k", "5"));
    }

    @Test
    void refusesWhatIsNotACountAndAKeyFile() {
        assertEquals("issue needs a count and --issuer FILE", refusal("10"));
        assertEquals("issue: --issuer needs a value", refusal("10", "--issuer"));
        assertEquals("issue: not a positive whole number: 0", refusal("0", "--issuer", "k"));
        assertEquals("issue: unknown option --fast (only --issuer)", refusal("1", "--fast"));
        assertEquals("issue takes one count, got 1 and 2", refusal("1", "2", "--issuer", "k"));
    }
}
