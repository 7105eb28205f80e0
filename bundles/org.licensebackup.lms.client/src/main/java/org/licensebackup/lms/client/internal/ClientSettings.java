package org.licensebackup.lms.client.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.options.PublicKeys;


/**
 * The client's settings, as configured.
 *
 * @param server the server's base URI (its endpoints are under {@code /lms/v1})
 * @param serverKey the pinned Ed25519 key of the server, or null to trust the first one seen
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for an answer
 * @param retries how many times a request without an answer (or with a 5xx one) is sent again
 * @param backoff the wait before the first retry, doubled before each next one
 * @param trustStore a PKCS12 trust store with the certificates that HTTPS servers are trusted by,
 *     beside the JDK's own; empty for the JDK's only
 * @param trustStorePassword its password
 */
record ClientSettings(URI server, byte[] serverKey, Duration connectTimeout, Duration requestTimeout, int retries, Duration backoff,
        Optional<Path> trustStore, String trustStorePassword) {

    ClientSettings {
        Objects.requireNonNull(server, "server");
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
            throw new IllegalArgumentException("url must be http:// or https://, not " + server);
        }
        Objects.requireNonNull(trustStore, "trustStore");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
    }

    /**
     * @throws IllegalArgumentException for a missing or bad URL or key
     */
    static ClientSettings of(String url, String serverKey, long connectTimeoutMillis, long requestTimeoutMillis, int retries,
            long backoffMillis, String trustStore, String trustStorePassword) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required: the license management server's base URL");
        }
        byte[] key = null;
        if (serverKey != null && !serverKey.isBlank()) {
            key = PublicKeys.parse("server.key", serverKey);
        }
        return new ClientSettings(URI.create(url.strip()), key, Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(requestTimeoutMillis),
                retries, Duration.ofMillis(backoffMillis),
                trustStore == null || trustStore.isBlank() ? Optional.empty() : Optional.of(Path.of(trustStore.strip())),
                trustStorePassword == null ? "" : trustStorePassword);
    }

    /** The URI of an endpoint path such as {@code /lms/v1/keys}. */
    URI endpoint(String path) {
        return server.resolve(path);
    }
}
