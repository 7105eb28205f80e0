package org.licensebackup.cli.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return switch (name) {
            case "demo" -> withoutArguments(name, rest, new Command.Demo());
            case "list" -> withoutArguments(name, rest, new Command.ListLicenses());
            case "help", "--help", "-h" -> withoutArguments(name, rest, new Command.Help());
            case "backup" -> {
                DirectoryAndFlag parsed = directoryAndFlag(name, rest, "--overwrite");
                yield new Command.Backup(parsed.directory(), parsed.flag());
            }
            case "restore" -> {
                DirectoryAndFlag parsed = directoryAndFlag(name, rest, "--rebind");
                yield new Command.Restore(parsed.directory(), parsed.flag());
            }
            case "verify" -> new Command.Verify(directoryAndFlag(name, rest, null).directory());
            default -> throw new UsageException("unknown command: " + name);
        };
    }

    private static Command withoutArguments(String name, List<String> rest, Command command) throws UsageException {
        if (!rest.isEmpty()) {
            throw new UsageException(name + " takes no arguments, got: " + String.join(" ", rest));
        }
        return command;
    }

    private record DirectoryAndFlag(Path directory, boolean flag) {
    }

    private static DirectoryAndFlag directoryAndFlag(String name, List<String> rest, String flagName)
            throws UsageException {
        boolean flag = false;
        List<String> directories = new ArrayList<>();
        for (String arg : rest) {
            if (flagName != null && arg.equals(flagName)) {
                if (flag) {
                    throw new UsageException(name + ": " + flagName + " given twice");
                }
                flag = true;
            } else if (arg.startsWith("--")) {
                throw new UsageException(name + ": unknown option " + arg
                        + (flagName == null ? "" : " (only " + flagName + ")"));
            } else {
                directories.add(arg);
            }
        }
        if (directories.size() != 1) {
            throw new UsageException(name + " needs exactly one directory, got " + directories.size());
        }
        String directory = directories.get(0);
        if (directory.isBlank()) {
            throw new UsageException(name + ": the directory is empty");
        }
        try {
            return new DirectoryAndFlag(Path.of(directory), flag);
        } catch (InvalidPathException e) {
            throw new UsageException(name + ": not a path: " + directory + " (" + e.getReason() + ")");
        }
    }
}
