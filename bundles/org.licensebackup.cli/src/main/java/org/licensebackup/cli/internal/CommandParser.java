package org.licensebackup.cli.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.licensebackup.options.DatabaseOptions;
import org.licensebackup.options.Options;
import org.licensebackup.options.PublicKeys;

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
            // the license server bundle's license:server reads its arguments
            case Command.SERVER -> new Command.Server(rest);
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
        try {
            URI parsed = new URI(url);
            if (parsed.getHost() == null) {
                throw new UsageException("connect: the server's URL names no host: " + url);
            }
        } catch (URISyntaxException e) {
            throw new UsageException("connect: not a URL: " + url + " (" + e.getReason() + ")");
        }
        Optional<String> key = Optional.empty();
        if (rest.size() == 2) {
            try {
                // one spelling wherever a key is printed or kept: standard base64 (URL-safe is taken too)
                key = Optional.of(PublicKeys.format(PublicKeys.parse("connect: the server's key", rest.get(1))));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new Command.Connect(url, key);
    }

    private static Command store(List<String> rest) throws UsageException {
        if (rest.equals(List.of("embedded"))) {
            return new Command.UseStore(Optional.empty());
        }
        if (rest.size() < 2 || !rest.get(0).equals("postgres") || rest.get(1).startsWith("--")) {
            throw new UsageException("store needs embedded, or postgres and the database's JDBC URL");
        }
        try {
            DatabaseOptions database = new DatabaseOptions("store");
            database.url(rest.get(1));
            for (int i = 2; i < rest.size(); i++) {
                String option = rest.get(i);
                if (!database.take(option, Options.valueAfter("store", rest, i++))) {
                    throw new UsageException("store: unknown option " + option);
                }
            }
            return new Command.UseStore(database.settings());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Command withoutArguments(String name, List<String> rest, Command command) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException(name + " takes no arguments, got: " + String.join(" ", rest));
        }
        return command;
    }

}
