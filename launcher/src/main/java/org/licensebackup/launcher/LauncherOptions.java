package org.licensebackup.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The launcher's own options, which come before the command; everything from the command on goes to
 * the command line inside the framework as it is.
 *
 * @param home {@code --home DIR}: where the store, the device key and the license management
 *     service's state live, if given
 * @param verbose {@code --verbose}: say how long the framework took to start
 * @param command the command and its arguments
 */
record LauncherOptions(Optional<Path> home, boolean verbose, List<String> command) {

    static final String USAGE = "usage: java -jar license-backup.jar [--home DIR] [--verbose] COMMAND [ARGS...]"
            + " (COMMAND: demo | backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR | list | help)";
    static final String DEMO = "demo";

    LauncherOptions {
        Objects.requireNonNull(home, "home");
        command = List.copyOf(command);
    }

    /** @throws UsageException when an option is unknown or lacks its value, or no command is given */
    static LauncherOptions parse(String... args) throws UsageException {
        Optional<Path> home = Optional.empty();
        boolean verbose = false;
        int next = 0;
        while (next < args.length && args[next].startsWith("--")) {
            String option = args[next++];
            switch (option) {
                case "--verbose" -> verbose = true;
                case "--home" -> {
                    if (next == args.length || args[next].isBlank()) {
                        throw new UsageException("--home needs a directory");
                    }
                    if (home.isPresent()) {
                        throw new UsageException("--home given twice");
                    }
                    home = Optional.of(path(args[next++]));
                }
                case "--help" -> {
                    // The command line inside the framework prints the help of the commands.
                    return new LauncherOptions(home, verbose, List.of("help"));
                }
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (next == args.length) {
            throw new UsageException("no command given");
        }
        List<String> command = Arrays.asList(args).subList(next, args.length);
        if (command.get(0).equals(DEMO) && home.isPresent()) {
            // The demo wipes the store it runs in: it must never be pointed at a real one.
            throw new UsageException("demo always runs in a fresh temporary home; leave out --home");
        }
        return new LauncherOptions(home, verbose, command);
    }

    boolean demo() {
        return command.get(0).equals(DEMO);
    }

    private static Path path(String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--home: not a path: " + value + " (" + e.getReason() + ")");
        }
    }
}
