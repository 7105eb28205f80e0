package org.licensebackup.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseOptionsTest {

    @Test
    void takesTheUserAndThePasswordFileBesideTheUrl() {
        DatabaseOptions options = new DatabaseOptions("server");
        options.url("jdbc:postgresql://db/lms");
        assertEquals(true, options.take("--database-user", "lms"));
        assertEquals(true, options.take("--database-password-file", "secret"));
        assertEquals(Optional.of(new DatabaseSettings("jdbc:postgresql://db/lms", "lms", Optional.of(Path.of("secret")))),
                options.settings());
    }

    @Test
    void leavesOtherOptionsToTheCommand() {
        assertFalse(new DatabaseOptions("store").take("--port", "1"));
        assertEquals(Optional.empty(), new DatabaseOptions("store").settings());
    }

    @Test
    void refusesAUserWithoutAUrlAndAUrlThatIsNotJdbc() {
        DatabaseOptions userOnly = new DatabaseOptions("server");
        userOnly.take("--database-user", "lms");
        assertEquals("server: --database-user and --database-password-file go with --database URL",
                assertThrows(IllegalArgumentException.class, userOnly::settings).getMessage());
        DatabaseOptions notJdbc = new DatabaseOptions("store");
        notJdbc.url("postgres://db");
        assertEquals("store: a database's URL starts with jdbc:, not postgres://db",
                assertThrows(IllegalArgumentException.class, notJdbc::settings).getMessage());
    }

    @Test
    void putsThePasswordFromTheFilesFirstLineIntoAPrivateProperty(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pw"), "s3cret\nignored\n");
        Dictionary<String, Object> properties = new Hashtable<>();
        new DatabaseSettings("jdbc:postgresql://db/x", "", Optional.of(file)).putInto(properties);
        assertEquals("jdbc:postgresql://db/x", properties.get("database.url"));
        assertEquals("", properties.get("database.user"));
        assertEquals("s3cret", properties.get(".database.password"));
    }

    @Test
    void refusesAnOptionWithoutItsValueAndANumberBelowOne() {
        assertEquals("server: --port needs a value",
                assertThrows(IllegalArgumentException.class, () -> Options.valueAfter("server", List.of("--port"), 0)).getMessage());
        assertEquals(10_000, Options.positive("n", "10,000"));
        assertEquals("server --device-limit: not a positive whole number: 0",
                assertThrows(IllegalArgumentException.class, () -> Options.positive("server --device-limit", "0")).getMessage());
    }
}
