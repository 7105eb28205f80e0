package org.licensebackup.schedule.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names of the backups a schedule wrote, kept in its directory
 * ({@code licensebackup-schedule-<name>.written}, one name a line), so that its retention deletes
 * only those, never a backup a user or another schedule made there, and still knows them after the
 * bundle is reinstalled.
 */
final class WrittenBackups {

    private final Path file;

    WrittenBackups(Path directory, String scheduleName) {
        this.file = directory.resolve("licensebackup-schedule-" + scheduleName.replaceAll("[^A-Za-z0-9._-]", "_") + ".written");
    }

    Set<String> read() throws IOException {
        try {
            return new LinkedHashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList());
        } catch (NoSuchFileException none) {
            return new LinkedHashSet<>();
        }
    }

    void add(String name) throws IOException {
        Set<String> names = read();
        names.add(name);
        write(names);
    }

    /** Replaces the record, atomically: a crash leaves the old one or the new one. */
    void write(Collection<String> names) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, names, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
