package org.licensebackup.lms.server.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.protocol.Limits;

/**
 * How the engine behaves, as configured.
 *
 * @param deviceLimit unique devices each license may be on, at least 1 (Windows Media DRM: 4)
 * @param trustedIssuerKeys Ed25519 public keys of the issuers whose licenses are genuine
 * @param supportUrl where a refused user learns more; the key ID is appended as the {@code kid}
 *     query parameter; empty for none
 * @param sessionIdleTimeout how long a session lives without a request
 * @param maxBatchLicenses the most licenses per batch, at most the protocol's limit
 */
record EngineSettings(int deviceLimit, List<byte[]> trustedIssuerKeys, String supportUrl, Duration sessionIdleTimeout,
        int maxBatchLicenses) {

    static final int DEFAULT_DEVICE_LIMIT = 4;
    static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 300;

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
        List<byte[]> keys = new ArrayList<>();
        for (String base64 : trustedIssuerKeys) {
            String trimmed = base64.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trusted.issuer.keys: not base64: " + trimmed, e);
            }
            if (key.length != Signatures.PUBLIC_KEY_LENGTH) {
                throw new IllegalArgumentException("trusted.issuer.keys: an Ed25519 public key has "
                        + Signatures.PUBLIC_KEY_LENGTH + " bytes, not " + key.length + ": " + trimmed);
            }
            keys.add(key);
        }
        return new EngineSettings(deviceLimit, keys, supportUrl, Duration.ofSeconds(idleTimeoutSeconds), maxBatchLicenses);
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
