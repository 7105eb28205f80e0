package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.licensebackup.api.BackupState;
import org.licensebackup.api.ErrorCode;

/**
 * What the verifies found, kept in one file of the restorer's own (in the home), not beside the
 * backups: a verify writes nothing where the backups are (a read-only medium verifies as well), and
 * a backup directory holds backups only. A line per backup: its absolute path, the size and
 * modification time of the file that was checked, and VERIFIED or FAILED; a file changed since
 * counts as not verified. Entries of backups gone are dropped at each write.
 */
final class VerifyRecords {

    private static final String VERIFIED = "VERIFIED";
    private static final String FAILED = "FAILED";

    private final Path file;

    VerifyRecords(Path file) {
        this.file = file;
    }

    /** What the verifies found, as the records stand now: read once, for every backup of a listing. */
    synchronized Found found() throws IOException {
        return new Found(read());
    }

    /** The records read at one time. */
    static final class Found {

        private final Map<String, String[]> records;

        private Found(Map<String, String[]> records) {
            this.records = records;
        }

        /** What the last verify of {@code backup} found, if it is the same file still. */
        BackupState stateOf(Path backup) throws IOException {
            String[] fields = records.get(backup.toAbsolutePath().toString());
            if (fields == null || !fields[0].equals(Long.toString(Files.size(backup)))
                    || !fields[1].equals(Long.toString(Files.getLastModifiedTime(backup).toMillis()))) {
                return BackupState.NOT_VERIFIED;
            }
            return fields[2].equals(VERIFIED) ? BackupState.VERIFIED : BackupState.VERIFY_FAILED;
        }
    }

    /**
     * Keeps what a verify of {@code backup} found: {@code error} empty when it completed; a failure
     * that says nothing of the file (busy, cancelled, no service) is not kept.
     */
    synchronized void record(Path backup, Optional<ErrorCode> error) throws IOException {
        if (error.isPresent() && !saysFileIsBad(error.get())) {
            return;
        }
        Map<String, String[]> records = read();
        records.put(backup.toAbsolutePath().toString(), new String[] {Long.toString(Files.size(backup)),
                Long.toString(Files.getLastModifiedTime(backup).toMillis()), error.isEmpty() ? VERIFIED : FAILED});
        List<String> lines = new ArrayList<>();
        records.forEach((path, fields) -> {
            if (Files.exists(Path.of(path))) {
                lines.add(fields[0] + "\t" + fields[1] + "\t" + fields[2] + "\t" + path);
            }
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, String[]> read() throws IOException {
        Map<String, String[]> records = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                // size, time, outcome, then the path, which may hold tabs itself
                String[] fields = line.split("\t", 4);
                if (fields.length == 4) {
                    records.put(fields[3], new String[] {fields[0], fields[1], fields[2]});
                }
            }
        } catch (NoSuchFileException none) {
            // nothing verified yet
        }
        return records;
    }

    private static boolean saysFileIsBad(ErrorCode code) {
        return code == ErrorCode.BACKUP_CORRUPT || code == ErrorCode.BAD_DATA || code == ErrorCode.RESTORE_FRAUD;
    }
}
