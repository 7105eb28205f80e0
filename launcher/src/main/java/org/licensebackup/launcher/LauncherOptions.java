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
 * @param lms {@code --lms URL}: the license management server this host uses from now on
 * @param lmsKey {@code --lms-key KEY}: that server's key (base64 Ed25519), pinned
 * @param command the command and its arguments
 */
record LauncherOptions(Optional<Path> home, boolean verbose, Optional<String> lms, Optional<String> lmsKey,
        List<String> command) {

    static final String USAGE = "usage: java -jar license-backup.jar [--home DIR] [--lms URL [--lms-key KEY]] [--verbose]"
            + " COMMAND [ARGS...] (COMMAND: demo | backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR"
            + " | list [FILTERS] | status | release KEY-ID... | connect URL [KEY] | issue COUNT --issuer FILE"
            + " | store embedded|postgres JDBC-URL | server [OPTIONS] | help)";
    static final String DEMO = "demo";

    LauncherOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(lms, "lms");
        Objects.requireNonNull(lmsKey, "lmsKey");
        command = List.copyOf(command);
    }

    /** @throws UsageException when an option is unknown or lacks its value, or no command is given */
    static LauncherOptions parse(String... args) throws UsageException {
        Optional<Path> home = Optional.empty();
        Optional<String> lms = Optional.empty();
        Optional<String> lmsKey = Optional.empty();
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
                case "--lms" -> lms = Optional.of(value(args, next++, option, lms));
                case "--lms-key" -> lmsKey = Optional.of(value(args, next++, option, lmsKey));
                case "--help" -> {
                    // The command line inside the framework prints the help of the commands.
                    return new LauncherOptions(home, verbose, Optional.empty(), Optional.empty(), List.of("help"));
                }
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (next == args.length) {
            throw new UsageException("no command given");
        }
        List<String> command = Arrays.asList(args).subList(next, args.length);
        if (command.get(0).equals(DEMO) && (home.isPresent() || lms.isPresent())) {
            // The demo makes its homes and its server: it must never be pointed at real ones.
            throw new UsageException("demo always runs in fresh temporary homes with a server of its own; leave out --home and --lms");
        }
        if (lmsKey.isPresent() && lms.isEmpty()) {
            throw new UsageException("--lms-key needs --lms URL");
        }
        return new LauncherOptions(home, verbose, lms, lmsKey, command);
    }

    /** The command line's {@code connect} command for {@code --lms}, if given. */
    Optional<List<String>> connectCommand() {
        return lms.map(url -> lmsKey.map(key -> List.of("connect", url, key)).orElse(List.of("connect", url)));
    }

    private static String value(String[] args, int index, String option, Optional<String> earlier) throws UsageException {
        if (index == args.length || args[index].isBlank()) {
            throw new UsageException(option + " needs a value");
        }
        if (earlier.isPresent()) {
            throw new UsageException(option + " given twice");
        }
        return args[index];
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
