package org.licensebackup.shell.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseTrait;

/**
 * Reads the arguments of an operator's command into an {@link OperatorCommand}. A command line that
 * is not one of {@link #USAGE} is an {@link IllegalArgumentException}, as Gogo itself reports
 * arguments it cannot take, with a message that says what is wrong.
 */
final class OperatorParser {

    /** The operator's commands, as the shell ({@code license:NAME}) and the launcher ({@code NAME}) take them. */
    static final String USAGE = "backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR"
            + " | list [--title TEXT] [--key-id PREFIX] [--rights RIGHT]... | status | release KEY-ID...";
    /** What {@code list --rights} takes: the {@link LicenseTrait}s, in lower case with dashes. */
    static final String RIGHTS = Arrays.stream(LicenseTrait.values()).map(OperatorParser::optionName)
            .collect(Collectors.joining(", "));

    private OperatorParser() {
    }

    /**
     * @param name the command's name, {@code backup} for {@code license:backup}
     * @param args what follows it
     * @throws IllegalArgumentException when the arguments are not what {@code name} takes
     */
    static OperatorCommand parse(String name, String... args) {
        if (args == null || Arrays.asList(args).contains(null)) {
            throw new IllegalArgumentException(name + ": the command line holds a null argument");
        }
        List<String> rest = List.of(args);
        return switch (name) {
            case "backup" -> {
                DirectoryAndFlag parsed = directoryAndFlag(name, rest, "--overwrite");
                yield new OperatorCommand.Backup(parsed.directory(), parsed.flag());
            }
            case "restore" -> {
                DirectoryAndFlag parsed = directoryAndFlag(name, rest, "--rebind");
                yield new OperatorCommand.Restore(parsed.directory(), parsed.flag());
            }
            case "verify" -> new OperatorCommand.Verify(directoryAndFlag(name, rest, null).directory());
            case "release" -> {
                if (rest.isEmpty() || rest.stream().anyMatch(arg -> arg.isBlank() || arg.startsWith("--"))) {
                    throw new IllegalArgumentException("release needs one or more key IDs (base64, as list shows them)");
                }
                yield new OperatorCommand.Release(rest);
            }
            case "list" -> new OperatorCommand.ListLicenses(query(rest));
            case "status" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("status takes no arguments, got: " + String.join(" ", rest));
                }
                yield new OperatorCommand.Status();
            }
            default -> throw new IllegalArgumentException("unknown command: " + name);
        };
    }

    private static LicenseQuery query(List<String> rest) {
        LicenseQuery query = LicenseQuery.all();
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            switch (option) {
                case "--title" -> query = query.withTitleContaining(valueAfter(rest, i++));
                case "--key-id" -> query = query.withKeyIdStartingWith(valueAfter(rest, i++));
                case "--rights" -> {
                    for (String right : valueAfter(rest, i++).split(",")) {
                        query = query.with(trait(right.trim()));
                    }
                }
                default -> throw new IllegalArgumentException("list: unknown option " + option
                        + " (--title TEXT, --key-id PREFIX, --rights RIGHT)");
            }
        }
        return query;
    }

    /** {@code bound-elsewhere}, or {@code BOUND_ELSEWHERE}, as {@link LicenseTrait#BOUND_ELSEWHERE}. */
    static LicenseTrait trait(String name) {
        try {
            return LicenseTrait.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("list --rights: not a right: " + name + " (one of " + RIGHTS + ")");
        }
    }

    static String optionName(LicenseTrait trait) {
        return trait.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String valueAfter(List<String> rest, int index) {
        if (index + 1 >= rest.size() || rest.get(index + 1).isBlank()) {
            throw new IllegalArgumentException("list: " + rest.get(index) + " needs a value");
        }
        return rest.get(index + 1);
    }

    private record DirectoryAndFlag(Path directory, boolean flag) {
    }

    private static DirectoryAndFlag directoryAndFlag(String name, List<String> rest, String flagName) {
        boolean flag = false;
        List<String> directories = new ArrayList<>();
        for (String arg : rest) {
            if (flagName != null && arg.equals(flagName)) {
                if (flag) {
                    throw new IllegalArgumentException(name + ": " + flagName + " given twice");
                }
                flag = true;
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException(name + ": unknown option " + arg
                        + (flagName == null ? "" : " (only " + flagName + ")"));
            } else {
                directories.add(arg);
            }
        }
        if (directories.size() != 1) {
            throw new IllegalArgumentException(name + " needs exactly one directory, got " + directories.size());
        }
        String directory = directories.get(0);
        if (directory.isBlank()) {
            throw new IllegalArgumentException(name + ": the directory is empty");
        }
        try {
            return new DirectoryAndFlag(Path.of(directory), flag);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + ": not a path: " + directory + " (" + e.getReason() + ")");
        }
    }
}
