package org.licensebackup.options;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The options that name a database beside its URL, {@code --database-user USER} and
 * {@code --database-password-file FILE}, as the server's and the store's commands take them. A
 * command feeds it every option it does not know itself ({@link #take}), sets the URL from wherever
 * the command takes it, and asks for the {@link #settings()} at the end.
 */
public final class DatabaseOptions {

    private final String command;
    private Optional<String> url = Optional.empty();
    private String user = "";
    private Optional<Path> passwordFile = Optional.empty();

    /** @param command names the command in a refusal */
    public DatabaseOptions(String command) {
        this.command = command;
    }

    public void url(String jdbcUrl) {
        url = Optional.of(jdbcUrl);
    }

    /** Whether {@code option} is one of these; its value taken if so. */
    public boolean take(String option, String value) {
        switch (option) {
            case "--database-user" -> user = value;
            case "--database-password-file" -> passwordFile = Optional.of(Options.path(command + " --database-password-file", value));
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the database named, or none without a URL
     * @throws IllegalArgumentException for a user or password file without a URL, or a URL that is not JDBC's
     */
    public Optional<DatabaseSettings> settings() {
        if (url.isEmpty() && (!user.isEmpty() || passwordFile.isPresent())) {
            throw new IllegalArgumentException(command + ": --database-user and --database-password-file go with --database URL");
        }
        if (url.isPresent() && !url.get().startsWith("jdbc:")) {
            throw new IllegalArgumentException(command + ": a database's URL starts with jdbc:, not " + url.get());
        }
        return url.map(jdbcUrl -> new DatabaseSettings(jdbcUrl, user, passwordFile));
    }
}
