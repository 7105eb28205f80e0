package org.licensebackup.license;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an issuer grants for one piece of content on one device, and signs: the part of a license
 * that never changes with use. Re-binding to another device makes a new grant.
 *
 * @param keyId the key ID
 * @param issuer the name of the license server that issued it
 * @param contentId the content's ID
 * @param title the content's title
 * @param rights what the issuer allows
 * @param deviceId the device the content key is bound to
 * @param wrappedContentKey the content key, wrapped for that device's key-agreement key
 * @param issuedAt when it was issued
 */
public record LicenseGrant(
        KeyId keyId,
        String issuer,
        String contentId,
        String title,
        Rights rights,
        String deviceId,
        byte[] wrappedContentKey,
        Instant issuedAt) {

    public LicenseGrant {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(rights, "rights");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        wrappedContentKey = Objects.requireNonNull(wrappedContentKey, "wrappedContentKey").clone();
    }

    @Override
    public byte[] wrappedContentKey() {
        return wrappedContentKey.clone();
    }

    /** The same grant bound to another device with the content key wrapped for it. */
    public LicenseGrant reboundTo(String newDeviceId, byte[] newWrappedContentKey, Instant now) {
        return new LicenseGrant(keyId, issuer, contentId, title, rights, newDeviceId, newWrappedContentKey, now);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LicenseGrant g
                && keyId.equals(g.keyId) && issuer.equals(g.issuer) && contentId.equals(g.contentId)
                && title.equals(g.title) && rights.equals(g.rights) && deviceId.equals(g.deviceId)
                && Arrays.equals(wrappedContentKey, g.wrappedContentKey) && issuedAt.equals(g.issuedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, issuer, contentId, title, rights, deviceId, issuedAt) * 31
                + Arrays.hashCode(wrappedContentKey);
    }

    /** Leaves out the wrapped content key: logs never carry key material. */
    @Override
    public String toString() {
        return "LicenseGrant[keyId=" + keyId + ", issuer=" + issuer + ", contentId=" + contentId
                + ", title=" + title + ", rights=" + rights + ", deviceId=" + deviceId + ", issuedAt=" + issuedAt + "]";
    }
}
