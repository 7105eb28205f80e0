package org.licensebackup.lms.internal;

import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.licensebackup.crypto.Signatures;

/**
 * How the embedded license management service behaves, as configured.
 *
 * @param deviceLimit how many unique devices each license may be on, at least 1
 * @param trustedIssuerKeys the Ed25519 public keys, in base64, of the issuers whose licenses are genuine
 * @param available whether the service accepts sessions; hosts and tests turn it off to act out an
 *     unreachable service
 */
public record LmsSettings(int deviceLimit, Set<String> trustedIssuerKeys, boolean available) {

    /** Windows Media DRM's limit: at most 4 unique computers per license. */
    public static final int DEFAULT_DEVICE_LIMIT = 4;

    public LmsSettings {
        if (deviceLimit < 1) {
            throw new IllegalArgumentException("device.limit must be at least 1, not " + deviceLimit);
        }
        trustedIssuerKeys = trustedIssuerKeys.stream().map(LmsSettings::canonicalKey).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Settings from configuration values; blank keys are left out, as configuration tools write an
     * empty list as one empty string.
     *
     * @throws IllegalArgumentException for a key that is not 32 bytes in base64
     */
    public static LmsSettings of(int deviceLimit, String[] trustedIssuerKeys, boolean available) {
        return new LmsSettings(deviceLimit,
                Stream.of(trustedIssuerKeys).map(String::trim).filter(key -> !key.isEmpty()).collect(Collectors.toSet()),
                available);
    }

    /** Whether {@code signerKey} is one of the trusted issuers' keys. */
    boolean trustsIssuer(byte[] signerKey) {
        return signerKey != null && trustedIssuerKeys.contains(Base64.getEncoder().encodeToString(signerKey));
    }

    private static String canonicalKey(String base64) {
        Objects.requireNonNull(base64, "trusted issuer key");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted.issuer.keys: not base64: " + base64, e);
        }
        if (key.length != Signatures.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("trusted.issuer.keys: an Ed25519 public key has "
                    + Signatures.PUBLIC_KEY_LENGTH + " bytes, not " + key.length + ": " + base64);
        }
        return Base64.getEncoder().encodeToString(key);
    }
}
