package org.licensebackup.license;

import java.util.Arrays;
import java.util.Objects;

/**
 * A license as a device keeps it: a grant, the signature over the grant's encoded bytes by the
 * party that issued it (the issuer, or the license management service that re-bound it), and the
 * device's record of use.
 */
public final class License {

    private final LicenseGrant grant;
    private final byte[] signedBytes;
    private final byte[] signerKey;
    private final byte[] signature;
    private final Usage usage;
    /**
     * The license's whole encoding when it was decoded from one, else null: its encoding is canonical
     * (the decoder accepts nothing else), so a backup hands on these bytes instead of encoding the
     * license again.
     */
    private final byte[] encoded;

    private License(LicenseGrant grant, byte[] signedBytes, byte[] signerKey, byte[] signature, Usage usage, byte[] encoded) {
        this.grant = grant;
        this.signedBytes = signedBytes;
        this.signerKey = signerKey;
        this.signature = signature;
        this.usage = Objects.requireNonNull(usage, "usage");
        this.encoded = encoded;
    }

    /**
     * A license from a grant and a signature over {@link LicenseCodec#encodeGrant(LicenseGrant)}.
     *
     * @param signerKey the signer's public key (Ed25519, 32 bytes)
     * @param signature the signature (Ed25519, 64 bytes)
     */
    public static License of(LicenseGrant grant, byte[] signerKey, byte[] signature, Usage usage) {
        return of(LicenseCodec.encodeGrant(Objects.requireNonNull(grant, "grant")), grant, signerKey, signature, usage);
    }

    static License of(byte[] signedBytes, LicenseGrant grant, byte[] signerKey, byte[] signature, Usage usage) {
        requireKeyAndSignature(signerKey, signature);
        return new License(grant, signedBytes, signerKey.clone(), signature.clone(), usage, null);
    }

    /**
     * A license the codec decoded from {@code encoded}, which it keeps; the arrays are the codec's own
     * copies, taken over as they are.
     */
    static License decoded(byte[] encoded, byte[] signedBytes, LicenseGrant grant, byte[] signerKey, byte[] signature,
            Usage usage) {
        requireKeyAndSignature(signerKey, signature);
        return new License(grant, signedBytes, signerKey, signature, usage, encoded);
    }

    private static void requireKeyAndSignature(byte[] signerKey, byte[] signature) {
        Objects.requireNonNull(signerKey, "signerKey");
        Objects.requireNonNull(signature, "signature");
        if (signerKey.length != LicenseCodec.SIGNER_KEY_LENGTH || signature.length != LicenseCodec.SIGNATURE_LENGTH) {
            throw new MalformedLicenseException("a signer key has 32 bytes and a signature 64");
        }
    }

    /** The bytes this license was decoded from, not to be changed; null when it was made otherwise. */
    byte[] encodedOrNull() {
        return encoded;
    }

    public LicenseGrant grant() {
        return grant;
    }

    public KeyId keyId() {
        return grant.keyId();
    }

    public String title() {
        return grant.title();
    }

    public Rights rights() {
        return grant.rights();
    }

    /** The exact bytes the signature covers. */
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    public byte[] signerKey() {
        return signerKey.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    public Usage usage() {
        return usage;
    }

    /** The same signed grant with another record of use. */
    public License withUsage(Usage newUsage) {
        return new License(grant, signedBytes, signerKey, signature, newUsage, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof License l
                && Arrays.equals(signedBytes, l.signedBytes) && Arrays.equals(signerKey, l.signerKey)
                && Arrays.equals(signature, l.signature) && usage.equals(l.usage);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes) * 31 + usage.hashCode();
    }

    @Override
    public String toString() {
        return "License[" + grant + ", usage=" + usage + "]";
    }
}
