package org.licensebackup.lms;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The public keys by which devices know a license management service.
 *
 * @param agreementKey the X25519 key that backups' file keys (and device key escrows) are wrapped for
 * @param signingKey the Ed25519 key that signs the service's answers and the licenses it re-binds;
 *     a device pins it
 */
public record ServiceKeys(byte[] agreementKey, byte[] signingKey) {

    /** Bytes of an X25519 or Ed25519 public key. */
    public static final int KEY_LENGTH = 32;

    public ServiceKeys {
        agreementKey = checked(agreementKey, "agreementKey");
        signingKey = checked(signingKey, "signingKey");
    }

    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceKeys that
                && Arrays.equals(agreementKey, that.agreementKey) && Arrays.equals(signingKey, that.signingKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(agreementKey) + Arrays.hashCode(signingKey);
    }

    @Override
    public String toString() {
        Base64.Encoder base64 = Base64.getEncoder();
        return "ServiceKeys[agreementKey=" + base64.encodeToString(agreementKey) + ", signingKey="
                + base64.encodeToString(signingKey) + "]";
    }

    private static byte[] checked(byte[] key, String name) {
        Objects.requireNonNull(key, name);
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(name + " has " + KEY_LENGTH + " bytes, not " + key.length);
        }
        return key.clone();
    }
}
