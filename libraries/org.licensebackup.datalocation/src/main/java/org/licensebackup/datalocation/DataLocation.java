package org.licensebackup.datalocation;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;

/**
 * Where a component keeps a file: the path its configuration names (a relative one under the home);
 * else in the home, License Backup's one place for the state that must outlive bundles. The home is
 * the framework property {@value #HOME_PROPERTY}; without it, {@code licensebackup} in the Karaf
 * instance ({@code ${karaf.base}}, which Karaf's {@code clean} leaves alone: it deletes only
 * {@code data/}); anywhere else {@code .licensebackup} in the user's home directory, the launcher's
 * default too. Never a bundle's data area, which goes with the bundle when it is uninstalled.
 *
 * <p>Files that an earlier version kept in the bundle's data area are moved to the home the first
 * time they are looked for there, so an update of the bundle keeps them. Bundles take this class in
 * privately (bnd {@code -conditionalpackage}), so it is no API.
 */
public final class DataLocation {

    /** The framework property naming the directory of License Backup's files. */
    public static final String HOME_PROPERTY = "licensebackup.home";
    /** The home as a configuration's description names it (a constant, for metatype annotations). */
    public static final String HOME_DESCRIPTION = "the License Backup home (${" + HOME_PROPERTY
            + "}; unset: ${karaf.base}/licensebackup in Karaf, else ~/.licensebackup), where a relative path starts too";
    /** Karaf's framework property naming the instance's directory (its {@code etc/}, {@code data/}). */
    static final String KARAF_BASE_PROPERTY = "karaf.base";
    /** The home's directory in a Karaf instance, when {@value #HOME_PROPERTY} is not set. */
    static final String KARAF_HOME_DIRECTORY = "licensebackup";
    /** The home's directory in the user's home directory elsewhere, when {@value #HOME_PROPERTY} is not set. */
    static final String USER_HOME_DIRECTORY = ".licensebackup";
    /** The suffix of a file being moved from a data area, until it is whole. */
    private static final String MOVING_SUFFIX = ".moving";

    private DataLocation() {
    }

    /**
     * The home: {@value #HOME_PROPERTY}; else {@code ${karaf.base}/licensebackup}; else
     * {@code ${user.home}/.licensebackup}. Framework properties fall back to system properties.
     *
     * @throws IllegalStateException when none of these properties is set
     */
    public static Path home(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        if (isSet(home)) {
            return Path.of(home).toAbsolutePath();
        }
        String karafBase = context.getProperty(KARAF_BASE_PROPERTY);
        if (isSet(karafBase)) {
            return Path.of(karafBase, KARAF_HOME_DIRECTORY).toAbsolutePath();
        }
        String userHome = context.getProperty("user.home");
        if (isSet(userHome)) {
            return Path.of(userHome, USER_HOME_DIRECTORY).toAbsolutePath();
        }
        throw new IllegalStateException("no place for License Backup's files: set the framework property " + HOME_PROPERTY);
    }

    /**
     * @param configuredPath the component's {@code path} configuration, may be null or blank
     * @param defaultFileName the file's name in the home
     * @param pid the component's configuration, named in the error when the file cannot be moved
     *     from the bundle's data area
     * @throws IllegalStateException when the file is not configured and there is no home (see
     *     {@link #home})
     * @throws UncheckedIOException when files an earlier version left in the bundle's data area
     *     cannot be moved to the home; they are left where they were
     */
    public static Path resolve(BundleContext context, String configuredPath, String defaultFileName, String pid) {
        if (isSet(configuredPath)) {
            Path configured = Path.of(configuredPath);
            return configured.isAbsolute() ? configured : home(context).resolve(configured);
        }
        Path file = home(context).resolve(defaultFileName);
        File dataFile = context.getDataFile(defaultFileName);
        if (dataFile != null) {
            moveFromDataArea(dataFile.toPath().toAbsolutePath().getParent(), file.getParent(), stem(defaultFileName), pid);
        }
        return file;
    }

    /**
     * Moves the files of a default name (the name's part before its first dot, then a dot: a store
     * with its journal files, a database with the extension its engine adds) from a data area to
     * the home. Each is copied under a temporary name, renamed, then deleted from the data area, so
     * a move that is cut short is finished by the next one. A file that the home already has with
     * other content is left in the data area: the home's wins, and nothing is overwritten.
     */
    static void moveFromDataArea(Path dataArea, Path home, String stem, String pid) {
        List<Path> found = filesOf(dataArea, stem);
        if (found.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(home);
            for (Path old : found) {
                Path target = home.resolve(old.getFileName().toString());
                if (Files.exists(target)) {
                    if (Files.mismatch(old, target) == -1) {
                        Files.delete(old);
                    }
                    continue;
                }
                Path moving = home.resolve(old.getFileName() + MOVING_SUFFIX);
                Files.copy(old, moving, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(moving, target, StandardCopyOption.ATOMIC_MOVE);
                Files.delete(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + found + " from the bundle's data area to " + home
                    + " (the files stay where they were): make " + home + " writable, or set the framework property "
                    + HOME_PROPERTY + " or " + pid + " path", e);
        }
    }

    private static List<Path> filesOf(Path directory, String stem) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith(stem + ".") && !name.endsWith(MOVING_SUFFIX);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundle's data area " + directory, e);
        }
    }

    private static String stem(String fileName) {
        int dot = fileName.indexOf('.');
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
