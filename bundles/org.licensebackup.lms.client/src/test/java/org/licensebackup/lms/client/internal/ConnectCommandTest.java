package org.licensebackup.lms.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What {@code license:connect} takes; the launcher's process tests run it against a real server. */
class ConnectCommandTest {

    private static final byte[] KEY = "an Ed25519 key of 32 bytes, say.".getBytes(StandardCharsets.US_ASCII);

    @Test
    void takesAUrlAndAnOptionalKeyKeptInTheStandardSpelling() {
        String standard = Base64.getEncoder().encodeToString(KEY);
        assertEquals(new ConnectCommand.Target("http://127.0.0.1:8470", Optional.empty()), ConnectCommand.Target.parse("http://127.0.0.1:8470"));
        assertEquals(new ConnectCommand.Target("https://lms.example", Optional.of(standard)),
                ConnectCommand.Target.parse("https://lms.example", standard));
        assertEquals(new ConnectCommand.Target("https://lms.example", Optional.of(standard)),
                ConnectCommand.Target.parse("https://lms.example", Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)),
                "a key in the URL-safe spelling is kept in the standard one");
    }

    @Test
    void refusesWhatIsNoServerUrlOrKeyAsArgumentsItCannotTake() {
        for (String[] args : List.of(new String[] {}, new String[] {"ftp://x"}, new String[] {"http://"},
                new String[] {"http://127.0.0.1:8480/", "garbage!"}, new String[] {"http://127.0.0.1:8480/", "S0VZ"},
                new String[] {"http://127.0.0.1:8480/", "S0VZ", "more"})) {
            assertThrows(IllegalArgumentException.class, () -> ConnectCommand.Target.parse(args), String.join(" ", args));
        }
    }
}
