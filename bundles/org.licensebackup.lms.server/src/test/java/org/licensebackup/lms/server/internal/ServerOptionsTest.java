package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.options.DatabaseSettings;

class ServerOptionsTest {

    /** Two keys as a person has them: standard base64, and the URL-safe spelling of the protocol's keyid. */
    private static final String K1 = java.util.Base64.getEncoder().encodeToString("an Ed25519 key of 32 bytes, say.".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private static final byte[] K2_BYTES = new byte[32];
    static {
        java.util.Arrays.fill(K2_BYTES, (byte) 0xFB);
    }
    private static final String K2_URL_SAFE = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(K2_BYTES);

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(args)).getMessage();
    }

    @Test
    void takesEveryOptionOfTheServerCommand() {
        assertEquals(new ServerOptions(Optional.of("0.0.0.0"), OptionalInt.of(0), OptionalInt.of(3), List.of(K1, "@k2.pub"),
                Optional.of("https://help"), Optional.of(Path.of("info")),
                Optional.of(new DatabaseSettings("jdbc:postgresql://db/lms", "lms", Optional.of(Path.of("secret"))))),
                ServerOptions.parse("--host", "0.0.0.0", "--port", "0", "--device-limit", "3", "--trust", K1, "--trust", "@k2.pub",
                        "--support-url", "https://help", "--info", "info", "--database", "jdbc:postgresql://db/lms",
                        "--database-user", "lms", "--database-password-file", "secret"));
    }

    @Test
    void takesNoOptionsAtAllAsTheConfigurationAsItIs() {
        assertEquals(new ServerOptions(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty()), ServerOptions.parse());
    }

    @Test
    void refusesOptionsWithoutTheirValuesOrOutOfRange() {
        assertEquals("server: --port needs a value", refusal("--port"));
        assertEquals("server --port: not a port (0 to 65535; 0 picks a free one): 70000", refusal("--port", "70000"));
        assertEquals("server --device-limit: not a positive whole number: 0", refusal("--device-limit", "0"));
        assertEquals("server: unknown option --frobnicate", refusal("--frobnicate", "1"));
        assertEquals("server: --database-user and --database-password-file go with --database URL", refusal("--database-user", "lms"));
        assertEquals("server: --database needs a value", refusal("--database"));
        assertEquals("server: a database's URL starts with jdbc:, not postgres://db", refusal("--database", "postgres://db"));
        assertEquals("server: the command line holds a null argument", refusal("--host", null));
        assertEquals("server --trust: not a key in base64: garbage!", refusal("--trust", "garbage!"));
        assertEquals("server --trust: a public key has 32 bytes, this one 5: garbage", refusal("--trust", "garbage"));
        assertTrue(refusal("--trust", "S0VZ").startsWith("server --trust: a public key has 32 bytes, this one 3"));
    }

    @Test
    void putsWhatWasGivenOverTheConfigurationAndReadsKeysAndThePasswordFromTheirFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("k2.pub"), K2_URL_SAFE + "\n");
        Files.writeString(dir.resolve("pw"), "s3cret\n");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", 8480);
        properties.put("max.threads", 8);
        ServerOptions.parse("--port", "0", "--trust", K1, "--trust", "@" + dir.resolve("k2.pub"), "--database", "jdbc:postgresql://db/lms",
                "--database-password-file", dir.resolve("pw").toString()).putInto(properties);
        assertEquals("127.0.0.1", properties.get("host"));
        assertEquals(0, properties.get("port"));
        assertEquals(8, properties.get("max.threads"));
        assertArrayEquals(new String[] {K1, java.util.Base64.getEncoder().encodeToString(K2_BYTES)}, (String[]) properties.get("trusted.issuer.keys"),
                "keys are kept in their one spelling, standard base64");
        assertEquals("jdbc:postgresql://db/lms", properties.get("database.url"));
        assertEquals("s3cret", properties.get(".database.password"));
    }
}
