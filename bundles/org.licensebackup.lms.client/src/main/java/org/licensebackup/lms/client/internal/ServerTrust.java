package org.licensebackup.lms.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.ServiceKeys;

/**
 * Which server key this device trusts, and the server's last authenticated keys: the configured
 * {@code server.key}, else the key seen first (trust on first use), kept in a small file together
 * with the keys, so that a backup can be made while the server is down. Thread-safe.
 */
final class ServerTrust {

    private static final String SIGNING_KEY = "server.signing.key";
    private static final String AGREEMENT_KEY = "server.agreement.key";

    private final Path file;
    private final byte[] configuredKey;
    private volatile ServiceKeys knownKeys;

    /**
     * Keys kept in the file for another server than the configured one are ignored.
     *
     * @param configuredKey the pinned Ed25519 key, or null to trust the first one seen
     * @throws IllegalStateException when the file is damaged: it is refused, never replaced silently
     */
    ServerTrust(Path file, byte[] configuredKey) {
        this.file = file;
        this.configuredKey = configuredKey == null ? null : configuredKey.clone();
        ServiceKeys stored = read(file);
        // Keys kept for another server than the one configured are no longer this device's server's.
        this.knownKeys = stored != null && configuredKey != null && !Arrays.equals(stored.signingKey(), configuredKey) ? null : stored;
    }

    /** The key answers must verify with, if one is pinned yet. */
    Optional<byte[]> pinnedKey() {
        if (configuredKey != null) {
            return Optional.of(configuredKey.clone());
        }
        ServiceKeys keys = knownKeys;
        return keys == null ? Optional.empty() : Optional.of(keys.signingKey());
    }

    /** The last authenticated keys. */
    Optional<ServiceKeys> knownKeys() {
        return Optional.ofNullable(knownKeys);
    }

    /**
     * Keeps {@code keys}, authenticated by an answer that their signing key signed: the first ones
     * seen are pinned; later ones must carry the pinned signing key.
     *
     * @throws LmsUnavailableException when the signing key is not the pinned one
     */
    synchronized void remember(ServiceKeys keys) {
        Optional<byte[]> pinned = pinnedKey();
        if (pinned.isPresent() && !Arrays.equals(pinned.get(), keys.signingKey())) {
            throw new LmsUnavailableException("the license management server's key does not match the key this device pinned ("
                    + Base64.getEncoder().encodeToString(pinned.get()) + ")");
        }
        if (!keys.equals(knownKeys)) {
            write(keys);
            knownKeys = keys;
        }
    }

    private static ServiceKeys read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return new ServiceKeys(Base64.getDecoder().decode(properties.getProperty(AGREEMENT_KEY, "")),
                    Base64.getDecoder().decode(properties.getProperty(SIGNING_KEY, "")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the license management server's keys from " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a license management server's keys; delete it to trust the server anew", e);
        }
    }

    /** Writes through a temporary file and a rename, so a crash leaves the old file or the new one. */
    private void write(ServiceKeys keys) {
        Properties properties = new Properties();
        properties.setProperty(SIGNING_KEY, Base64.getEncoder().encodeToString(keys.signingKey()));
        properties.setProperty(AGREEMENT_KEY, Base64.getEncoder().encodeToString(keys.agreementKey()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "the license management server this device trusts; delete to trust a new one");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the license management server's keys in " + file, e);
        }
    }
}
