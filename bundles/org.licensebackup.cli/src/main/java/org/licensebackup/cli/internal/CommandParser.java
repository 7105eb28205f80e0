package org.licensebackup.cli.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads a command line into a {@link Command}. */
final class CommandParser {

    private CommandParser() {
    }

    /** @throws UsageException when {@code args} is not one of the commands in {@link Command#USAGE} */
    static Command parse(String... args) throws UsageException {
        if (args == null || args.length == 0) {
            throw new UsageException("no command given");
        }
        if (Arrays.asList(args).contains(null)) {
            throw new UsageException("the command line holds a null argument");
        }
        String name = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        if (Command.CONTRIBUTED.contains(name)) {
            // the bundle that contributes the command reads its arguments
            return new Command.Contributed(name, rest);
        }
        return switch (name) {
            case "help", "--help", "-h" -> withoutArguments(name, rest, new Command.Help());
            case "connect" -> connect(rest);
            case "server" -> new Command.Server(server(rest));
            case "store" -> store(rest);
            default -> throw new UsageException("unknown command: " + name);
        };
    }

    private static Command connect(List<String> rest) throws UsageException {
        if (rest.isEmpty() || rest.size() > 2) {
            throw new UsageException("connect needs the server's URL and, optionally, its key");
        }
        String url = rest.get(0);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new UsageException("connect: the server's URL starts with http:// or https://, not " + url);
        }
        return new Command.Connect(url, rest.size() == 2 ? Optional.of(rest.get(1)) : Optional.empty());
    }

    private static ServerSettings server(List<String> rest) throws UsageException {
        Optional<String> host = Optional.empty();
        OptionalInt port = OptionalInt.empty();
        OptionalInt deviceLimit = OptionalInt.empty();
        List<String> trusted = new ArrayList<>();
        Optional<String> supportUrl = Optional.empty();
        Optional<Path> infoFile = Optional.empty();
        DatabaseOptions database = new DatabaseOptions("server");
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            String value = valueAfter("server", rest, i++);
            switch (option) {
                case "--host" -> host = Optional.of(value);
                case "--port" -> port = OptionalInt.of(port(value));
                case "--device-limit" -> deviceLimit = OptionalInt.of(positive("server --device-limit", value));
                case "--trust" -> trusted.add(value);
                case "--support-url" -> supportUrl = Optional.of(value);
                case "--info" -> infoFile = Optional.of(path("server --info", value));
                case "--database" -> database.url = Optional.of(value);
                default -> {
                    if (!database.take(option, value)) {
                        throw new UsageException("server: unknown option " + option);
                    }
                }
            }
        }
        return new ServerSettings(host, port, deviceLimit, trusted, supportUrl, infoFile, database.settings());
    }

    private static Command store(List<String> rest) throws UsageException {
        if (rest.equals(List.of("embedded"))) {
            return new Command.UseStore(Optional.empty());
        }
        if (rest.size() < 2 || !rest.get(0).equals("postgres") || rest.get(1).startsWith("--")) {
            throw new UsageException("store needs embedded, or postgres and the database's JDBC URL");
        }
        DatabaseOptions database = new DatabaseOptions("store");
        database.url = Optional.of(rest.get(1));
        for (int i = 2; i < rest.size(); i++) {
            String option = rest.get(i);
            if (!database.take(option, valueAfter("store", rest, i++))) {
                throw new UsageException("store: unknown option " + option);
            }
        }
        return new Command.UseStore(database.settings());
    }

    /** The options that name a database's user and password file, beside its URL, as the server and store commands take them. */
    private static final class DatabaseOptions {
        private final String command;
        Optional<String> url = Optional.empty();
        private String user = "";
        private Optional<Path> passwordFile = Optional.empty();

        DatabaseOptions(String command) {
            this.command = command;
        }

        /** Whether {@code option} is one of these; its value taken if so. */
        boolean take(String option, String value) throws UsageException {
            switch (option) {
                case "--database-user" -> user = value;
                case "--database-password-file" -> passwordFile = Optional.of(path(command + " --database-password-file", value));
                default -> {
                    return false;
                }
            }
            return true;
        }

        Optional<DatabaseSettings> settings() throws UsageException {
            if (url.isEmpty() && (!user.isEmpty() || passwordFile.isPresent())) {
                throw new UsageException(command + ": --database-user and --database-password-file go with --database URL");
            }
            if (url.isPresent() && !url.get().startsWith("jdbc:")) {
                throw new UsageException(command + ": a database's URL starts with jdbc:, not " + url.get());
            }
            return url.map(jdbcUrl -> new DatabaseSettings(jdbcUrl, user, passwordFile));
        }
    }

    private static String valueAfter(String name, List<String> rest, int index) throws UsageException {
        if (index + 1 >= rest.size() || rest.get(index + 1).isBlank()) {
            throw new UsageException(name + ": " + rest.get(index) + " needs a value");
        }
        return rest.get(index + 1);
    }

    private static int positive(String name, String value) throws UsageException {
        try {
            int number = Integer.parseInt(value.replace(",", "").replace("_", ""));
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with what was expected
        }
        throw new UsageException(name + ": not a positive whole number: " + value);
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with what was expected
        }
        throw new UsageException("server --port: not a port (0 to 65535; 0 picks a free one): " + value);
    }

    private static Path path(String name, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(name + ": not a path: " + value + " (" + e.getReason() + ")");
        }
    }

    private static Command withoutArguments(String name, List<String> rest, Command command) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException(name + " takes no arguments, got: " + String.join(" ", rest));
        }
        return command;
    }

}
