package org.licensebackup.lms.server.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.osgi.service.component.annotations.Component;

/**
 * {@code license:operator add FILE NAME [--password-file F]}: adds a support console operator to
 * the operators file {@code FILE} (made if missing), or gives them a new password: the password's
 * bcrypt hash, never the password. The password is the first line of {@code F}, or else of the
 * command's input, so that it is never on a command line, where the shell's history and the process
 * list would show it.
 */
@Component(service = OperatorCommand.class, property = {"osgi.command.scope=license", "osgi.command.function=operator"})
public final class OperatorCommand {

    static final String USAGE = "operator add FILE NAME [--password-file FILE] (the password: the file's first line, or else the input's)";

    private final Supplier<PrintStream> out;
    private final Supplier<java.io.InputStream> in;

    public OperatorCommand() {
        // System.in and System.out when the command runs: Gogo points them at the session of the thread that runs a command.
        this(() -> System.out, () -> System.in);
    }

    OperatorCommand(Supplier<PrintStream> out, Supplier<java.io.InputStream> in) {
        this.out = Objects.requireNonNull(out, "out");
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * @throws IllegalArgumentException for a command line, name or password it does not take
     * @throws BackupRestoreException IO_ERROR when a file cannot be read or written; the operators file is then as it was
     */
    public void operator(String... args) {
        List<String> words = List.of(args == null ? new String[0] : args);
        if (words.size() != 3 && words.size() != 5 || !words.get(0).equals("add")
                || words.size() == 5 && !words.get(3).equals("--password-file")) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        Path file = Path.of(words.get(1));
        String name = words.get(2);
        OperatorsFile.requireName(name);
        char[] password;
        try {
            String line = words.size() == 5 ? firstLine(Files.newBufferedReader(Path.of(words.get(4)), StandardCharsets.UTF_8))
                    : firstLine(new BufferedReader(new InputStreamReader(in.get(), StandardCharsets.UTF_8)));
            if (line == null) {
                throw new IllegalArgumentException("operator: no password given: give --password-file FILE, whose first line is the"
                        + " password (or, in a console, the password as the input's first line)");
            }
            password = line.toCharArray();
            new OperatorsFile(file).put(name, password);
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "operator: " + e.getMessage(), e);
        }
        java.util.Arrays.fill(password, '\0');
        PrintStream print = out.get();
        print.println("operator " + name + " can log in to the support console (their password's bcrypt hash is in " + file + ")");
        print.flush();
    }

    /** The first line, without a trailing carriage return; null when there is none or it is empty. */
    private static String firstLine(BufferedReader reader) throws IOException {
        try (reader) {
            String line = reader.readLine();
            if (line != null && line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return line == null || line.isEmpty() ? null : line;
        }
    }
}
