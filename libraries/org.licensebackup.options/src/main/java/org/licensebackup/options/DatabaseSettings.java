package org.licensebackup.options;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Objects;
import java.util.Optional;

/**
 * A database that a component reaches by JDBC: the license server's shared ledger, the PostgreSQL
 * license store. Both take it as {@code database.url}, {@code database.user} and the private
 * {@code .database.password}.
 *
 * @param url its JDBC URL, e.g. {@code jdbc:postgresql://host/db}
 * @param user empty: the driver's default
 * @param passwordFile a file whose first line is the password: never on the command line, which other users see
 */
public record DatabaseSettings(String url, String user, Optional<Path> passwordFile) {

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordFile, "passwordFile");
    }

    /** Puts the URL, the user and the password read from its file into a component's configuration. */
    public void putInto(Dictionary<String, Object> properties) throws IOException {
        properties.put("database.url", url);
        properties.put("database.user", user);
        properties.put(".database.password", passwordFile.isPresent()
                ? Options.readText("--database-password-file", passwordFile.get()).lines().findFirst().orElse("") : "");
    }
}
