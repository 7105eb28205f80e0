package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The support console's operators: a text file of {@code NAME:BCRYPT-HASH} lines ({@code #} starts a
 * comment), read at each log-in so that an operator added or removed counts at once. Passwords are
 * bcrypt hashes (Bouncy Castle's {@link OpenBSDBCrypt}, cost {@value #COST}); the file holds no
 * password, and there is no default operator: without the file the console lets nobody in.
 */
final class OperatorsFile {

    /** bcrypt's cost: 2^12 rounds, about a quarter of a second a check, which slows guessing as much. */
    static final int COST = 12;
    static final int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt reads at most 72 bytes of a password; a longer one would be cut without a word. */
    static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked when the name is unknown, so that an unknown name takes as long as a wrong password. */
    private static final String UNKNOWN_NAME_HASH = OpenBSDBCrypt.generate("no operator has this password".toCharArray(), salt(), COST);

    private final Path file;

    OperatorsFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * The operator's name if {@code password} is theirs; empty for an unknown name or a wrong
     * password alike, which take the same time.
     *
     * @throws IOException when the file cannot be read
     */
    Optional<String> authenticate(String name, char[] password) throws IOException {
        Map<String, String> hashes = read();
        String hash = name == null ? null : hashes.get(name);
        boolean known = hash != null;
        boolean matches = OpenBSDBCrypt.checkPassword(known ? hash : UNKNOWN_NAME_HASH, password);
        return known && matches ? Optional.of(name) : Optional.empty();
    }

    /**
     * Adds the operator {@code name} with {@code password} hashed, or replaces their hash: the file is
     * written whole under another name and moved over the old one, readable by its owner alone.
     *
     * @throws IllegalArgumentException for a name or password it does not take
     */
    void put(String name, char[] password) throws IOException {
        requireName(name);
        requirePassword(password);
        String hash = OpenBSDBCrypt.generate(password, salt(), COST);
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (name.equals(nameOf(line))) {
                    lines.add(name + ":" + hash);
                    replaced = true;
                } else {
                    lines.add(line);
                }
            }
        } else {
            lines.add("# License Backup support console operators: NAME:BCRYPT-HASH (license:operator adds one)");
        }
        if (!replaced) {
            lines.add(name + ":" + hash);
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(partial, lines, StandardCharsets.UTF_8);
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Names and hashes; a line that is no entry (a comment, a blank) is skipped. */
    private Map<String, String> read() throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String name = nameOf(line);
            if (name != null) {
                hashes.put(name, line.strip().substring(name.length() + 1));
            }
        }
        return hashes;
    }

    private static String nameOf(String line) {
        String entry = line.strip();
        int colon = entry.indexOf(':');
        if (entry.startsWith("#") || colon < 1 || !entry.startsWith("$2", colon + 1)) {
            return null;
        }
        return entry.substring(0, colon);
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an operator's name is 1 to 64 letters, digits and . _ @ -: " + name);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("a password has at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8 (bcrypt reads no more)");
        }
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
