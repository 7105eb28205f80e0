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

/** The committed golden version 1 backups and their {@code golden.properties}, from the test class path. */
final class GoldenFiles {

    private static final String FOLDER = "/golden/v1/";

    private final Properties description = new Properties();

    GoldenFiles() {
        try (InputStream in = GoldenFiles.class.getResourceAsStream(FOLDER + GoldenBackupGenerator.DESCRIPTION_FILE)) {
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

    /** The license management service's keys, which open every golden file. */
    RawKeyPair serviceKeys() {
        return KeyAgreement.fromPrivateKey(hex("lms.x25519.private"));
    }

    static Path path(String file) {
        try {
            return Path.of(GoldenFiles.class.getResource(FOLDER + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
