package org.licensebackup.cli.internal;

import java.util.Arrays;
import java.util.List;

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
            // the license server bundle's license:server reads its arguments
            case Command.SERVER -> new Command.Server(rest);
            default -> throw new UsageException("unknown command: " + name);
        };
    }

    private static Command withoutArguments(String name, List<String> rest, Command command) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException(name + " takes no arguments, got: " + String.join(" ", rest));
        }
        return command;
    }

}
