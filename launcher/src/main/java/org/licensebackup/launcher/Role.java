package org.licensebackup.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What a run of the launcher is, told by its command: the license management server for
 * {@code server}, else a device (a media host's command line). Which bundles a role runs is not
 * decided here: bnd resolves {@code ROLE.bndrun} at build time and writes it, with its
 * {@code -runbundles}, into the bundle directory; a run installs exactly those. So a device runs no
 * web server and a server keeps no license store, and a bundle joins a role in its bndrun.
 */
enum Role {

    DEVICE("device"),
    SERVER("server");

    /** The command that runs the server; every other command runs on a device. */
    static final String SERVER_COMMAND = "server";
    /** The license server bundle's {@code license:operator}, which adds a support console operator: it runs as a server runs. */
    static final String OPERATOR_COMMAND = "operator";
    /** The resolved run description's instruction that lists the bundles, as bnd writes it. */
    static final String RUN_BUNDLES = "-runbundles";

    private final String runDescription;

    Role(String runDescription) {
        this.runDescription = runDescription;
    }

    static Role of(List<String> command) {
        return command.get(0).equals(SERVER_COMMAND) || command.get(0).equals(OPERATOR_COMMAND) ? SERVER : DEVICE;
    }

    /** The resolved bndrun of this role in {@code bundleDirectory}. */
    Path runDescription(Path bundleDirectory) {
        return bundleDirectory.resolve(runDescription + ".bndrun");
    }

    /**
     * The symbolic names of the bundles this role runs: its resolved bndrun's {@code -runbundles}.
     *
     * @throws LaunchException when the bundle directory holds no resolved bndrun for the role, or one without bundles
     */
    Set<String> bundles(Path bundleDirectory) throws LaunchException {
        Path file = runDescription(bundleDirectory);
        Properties description = new Properties();
        // bnd's files are properties files: '\' continues a line, '#' starts a comment
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            description.load(reader);
        } catch (NoSuchFileException e) {
            throw new LaunchException("no " + file.getFileName() + " in " + bundleDirectory + ": the build writes each role's"
                    + " resolved bundles there beside the jars", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String clause : clauses(description.getProperty(RUN_BUNDLES, ""))) {
            String name = clause.split(";", 2)[0].strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new LaunchException(file + " lists no " + RUN_BUNDLES + ": it was not resolved");
        }
        return names;
    }

    /** The clauses of a bnd header: split at the commas outside quotes (a version range holds one). */
    static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        char quote = 0;
        for (char c : header.toCharArray()) {
            if (quote == 0 && c == ',') {
                clauses.add(clause.toString());
                clause.setLength(0);
                continue;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            clause.append(c);
        }
        clauses.add(clause.toString());
        return clauses;
    }
}
