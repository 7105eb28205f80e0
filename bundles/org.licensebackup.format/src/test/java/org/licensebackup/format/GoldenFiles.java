package org.licensebackup.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;

import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;

/** The committed golden backups of one format version and their {@code golden.properties}, from the test class path. */
final class GoldenFiles {

    static final String V1 = "/golden/v1/";
    static final String V2 = "/golden/v2/";
    /** The first version 2 files, whose device ID the generator made up: refused as forged since the ID rule. */
    static final String V2_MADE_UP_ID = "/golden/v2-made-up-id/";

    private final Properties description = new Properties();

    /** @param folder {@link #V1}, {@link #V2} or {@link #V2_MADE_UP_ID} */
    GoldenFiles(String folder) {
        try (InputStream in = GoldenFiles.class.getResourceAsStream(folder + GoldenBackupGenerator.DESCRIPTION_FILE)) {
            if (in == null) {
                throw new IllegalStateException(folder + GoldenBackupGenerator.DESCRIPTION_FILE + " is missing");
            }
            description.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String property(String name) {
        String value = description.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(GoldenBackupGenerator.DESCRIPTION_FILE + " lacks " + name);
        }
        return value;
    }

    byte[] hex(String name) {
        return HexFormat.of().parseHex(property(name));
    }

    /** The license management service's keys, which open every golden file made for it. */
    RawKeyPair serviceKeys() {
        return KeyAgreement.fromPrivateKey(hex("lms.x25519.private"));
    }

    static Path path(String folder, String file) {
        try {
            return Path.of(GoldenFiles.class.getResource(folder + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException(folder + file + " is missing", e);
        }
    }
}
