package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(args)).getMessage();
    }

    @Test
    void takesEveryOptionOfTheServerCommand() {
        assertEquals(new ServerOptions(Optional.of("0.0.0.0"), OptionalInt.of(0), OptionalInt.of(3), List.of("K1", "@k2.pub"),
                Optional.of("https://help"), Optional.of(Path.of("info")),
                Optional.of(new DatabaseSettings("jdbc:postgresql://db/lms", "lms", Optional.of(Path.of("secret"))))),
                ServerOptions.parse("--host", "0.0.0.0", "--port", "0", "--device-limit", "3", "--trust", "K1", "--trust", "@k2.pub",
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
    }

    @Test
    void putsWhatWasGivenOverTheConfigurationAndReadsKeysAndThePasswordFromTheirFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("k2.pub"), "K2\n");
        Files.writeString(dir.resolve("pw"), "s3cret\n");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", 8480);
        properties.put("max.threads", 8);
        ServerOptions.parse("--port", "0", "--trust", "K1", "--trust", "@" + dir.resolve("k2.pub"), "--database", "jdbc:postgresql://db/lms",
                "--database-password-file", dir.resolve("pw").toString()).putInto(properties);
        assertEquals("127.0.0.1", properties.get("host"));
        assertEquals(0, properties.get("port"));
        assertEquals(8, properties.get("max.threads"));
        assertArrayEquals(new String[] {"K1", "K2"}, (String[]) properties.get("trusted.issuer.keys"));
        assertEquals("jdbc:postgresql://db/lms", properties.get("database.url"));
        assertEquals("s3cret", properties.get(".database.password"));
    }
}
