package org.licensebackup.lms.server.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.options.PublicKeys;

/**
 * How the engine behaves, as configured.
 *
 * @param deviceLimit unique devices each license may be on, at least 1 (Windows Media DRM: 4)
 * @param trustedIssuerKeys Ed25519 public keys of the issuers whose licenses are genuine
 * @param supportUrl where a refused user learns more; the key ID is appended as the {@code kid}
 *     query parameter; empty for none
 * @param sessionIdleTimeout how long a session lives without a request
 * @param maxBatchLicenses the most licenses per batch, at most the protocol's limit
 * @param maxLiveNonces nonces this instance has issued that are neither used nor expired, at most
 * @param sessionsPerDevice live sessions of one device, at most
 */
record EngineSettings(int deviceLimit, List<byte[]> trustedIssuerKeys, String supportUrl, Duration sessionIdleTimeout,
        int maxBatchLicenses, int maxLiveNonces, int sessionsPerDevice) {

    static final int DEFAULT_DEVICE_LIMIT = 4;
    static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    static final int DEFAULT_MAX_LIVE_NONCES = 10_000;
    static final int DEFAULT_SESSIONS_PER_DEVICE = 4;

    EngineSettings {
        if (deviceLimit < 1) {
            throw new IllegalArgumentException("device.limit must be at least 1, not " + deviceLimit);
        }
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("session.idle.timeout.seconds must be positive");
        }
        if (maxBatchLicenses < 1 || maxBatchLicenses > Limits.MAX_BATCH_LICENSES) {
            throw new IllegalArgumentException("max.batch.licenses must be 1 to " + Limits.MAX_BATCH_LICENSES + ", not " + maxBatchLicenses);
        }
        if (maxLiveNonces < 1) {
            throw new IllegalArgumentException("max.live.nonces must be positive, not " + maxLiveNonces);
        }
        if (sessionsPerDevice < 1) {
            throw new IllegalArgumentException("sessions.per.device must be positive, not " + sessionsPerDevice);
        }
        trustedIssuerKeys = trustedIssuerKeys.stream().map(byte[]::clone).toList();
        supportUrl = supportUrl == null ? "" : supportUrl.strip();
    }

    /**
     * Settings from configuration values; blank keys are left out, as configuration tools write an
     * empty list as one empty string.
     *
     * @throws IllegalArgumentException for a key that is not 32 bytes in base64
     */
    static EngineSettings of(int deviceLimit, String[] trustedIssuerKeys, String supportUrl, long idleTimeoutSeconds, int maxBatchLicenses) {
        return of(deviceLimit, trustedIssuerKeys, supportUrl, idleTimeoutSeconds, maxBatchLicenses, DEFAULT_MAX_LIVE_NONCES,
                DEFAULT_SESSIONS_PER_DEVICE);
    }

    /** As {@link #of(int, String[], String, long, int)}, with the limits of unauthenticated work. */
    static EngineSettings of(int deviceLimit, String[] trustedIssuerKeys, String supportUrl, long idleTimeoutSeconds, int maxBatchLicenses,
            int maxLiveNonces, int sessionsPerDevice) {
        List<byte[]> keys = new ArrayList<>();
        for (String text : trustedIssuerKeys) {
            if (!text.isBlank()) {
                keys.add(PublicKeys.parse("trusted.issuer.keys", text));
            }
        }
        return new EngineSettings(deviceLimit, keys, supportUrl, Duration.ofSeconds(idleTimeoutSeconds), maxBatchLicenses, maxLiveNonces,
                sessionsPerDevice);
    }

    /** The support URL for a refused license, with its key ID as the {@code kid} query parameter. */
    Optional<String> supportUrlFor(KeyId keyId) {
        if (supportUrl.isEmpty()) {
            return Optional.empty();
        }
        String separator = supportUrl.contains("?") ? "&" : "?";
        return Optional.of(supportUrl + separator + "kid=" + URLEncoder.encode(keyId.toString(), StandardCharsets.UTF_8));
    }
}
