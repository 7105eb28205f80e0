package org.licensebackup.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The one rule that makes a device's ID from its public keys, so that whoever holds the keys can
 * check an ID a device or a backup claims: a license management server against the keys a device
 * presents, a backup reader against the keys in a backup's header. The device bundle's
 * {@code DeviceIdentity.deviceIdOf} is this rule.
 *
 * @since 1.2
 */
public final class DeviceIds {

    /** Bytes of SHA-256 over the public keys that make a device ID: 128 bits, as a UUID. */
    public static final int ID_BYTES = 16;

    private DeviceIds() {
    }

    /**
     * The ID of the device with these public keys: base64url without padding (RFC 4648 section 5)
     * of the first {@value #ID_BYTES} bytes of SHA-256(signing public key || agreement public key),
     * 22 ASCII characters.
     *
     * @param signingPublicKey the device's Ed25519 public key
     * @param agreementPublicKey the device's X25519 public key
     */
    public static String of(byte[] signingPublicKey, byte[] agreementPublicKey) {
        Objects.requireNonNull(signingPublicKey, "signingPublicKey");
        Objects.requireNonNull(agreementPublicKey, "agreementPublicKey");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(signingPublicKey);
            sha256.update(agreementPublicKey);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha256.digest(), ID_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
