package org.licensebackup.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensebackup.options.DatabaseSettings;

/** What {@code license:store} takes; PostgresStoreIT (launcher) runs it against a real PostgreSQL. */
class StoreCommandTest {

    @Test
    void takesPostgresWithItsDatabaseOrEmbedded() {
        assertEquals(Optional.of(new DatabaseSettings("jdbc:postgresql://db/licenses", "media", Optional.of(Path.of("pw")))),
                StoreCommand.parse("postgres", "jdbc:postgresql://db/licenses", "--database-user", "media", "--database-password-file", "pw"));
        assertEquals(Optional.of(new DatabaseSettings("jdbc:postgresql://db/licenses", "", Optional.empty())),
                StoreCommand.parse("postgres", "jdbc:postgresql://db/licenses"));
        assertEquals(Optional.empty(), StoreCommand.parse("embedded"));
    }

    @Test
    void refusesOptionsWithoutTheirValuesAndUnknownStoresAsArgumentsItCannotTake() {
        for (String[] args : List.of(new String[] {}, new String[] {"postgres"},
                new String[] {"postgres", "jdbc:postgresql://db", "--database-user"}, new String[] {"mysql", "jdbc:mysql://db"},
                new String[] {"postgres", "jdbc:postgresql://db", "--frobnicate", "1"}, new String[] {"postgres", "http://db"},
                new String[] {"embedded", "now"})) {
            assertThrows(IllegalArgumentException.class, () -> StoreCommand.parse(args), String.join(" ", args));
        }
    }
}
