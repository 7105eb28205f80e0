package org.licensebackup.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the values of a command's options. Each refusal is an {@link IllegalArgumentException}
 * whose message names the command and the option, as Gogo reports arguments a command cannot take.
 */
public final class Options {

    private Options() {
    }

    /** The value after the option at {@code index}; {@code command} names the command in a refusal. */
    public static String valueAfter(String command, List<String> args, int index) {
        if (index + 1 >= args.size() || args.get(index + 1) == null || args.get(index + 1).isBlank()) {
            throw new IllegalArgumentException(command + ": " + args.get(index) + " needs a value");
        }
        return args.get(index + 1);
    }

    /** A whole number above zero; {@code 10,000} and {@code 10_000} read as ten thousand. */
    public static int positive(String name, String value) {
        try {
            int number = Integer.parseInt(value.replace(",", "").replace("_", ""));
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with what was expected
        }
        throw new IllegalArgumentException(name + ": not a positive whole number: " + value);
    }

    public static Path path(String name, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + ": not a path: " + value + " (" + e.getReason() + ")");
        }
    }

    /**
     * The text of a file an option names (a key, a password), in UTF-8.
     *
     * @throws IOException whose message says in plain words what is wrong, naming the option and
     *     the file: that it does not exist, is a folder, or may not be read
     */
    public static String readText(String name, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": " + file.toAbsolutePath() + " is a folder, not a file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(name + ": there is no file " + file.toAbsolutePath(), e);
        } catch (AccessDeniedException e) {
            throw new IOException(name + ": " + file.toAbsolutePath() + " may not be read by this user", e);
        } catch (IOException e) {
            throw new IOException(name + ": " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
