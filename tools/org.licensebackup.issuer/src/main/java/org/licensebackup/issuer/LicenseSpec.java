package org.licensebackup.issuer;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/**
 * What to issue: a license's key ID, content, rights, the device's record of use to start from, and
 * the content key.
 *
 * @param keyId the key ID
 * @param contentId the content's ID
 * @param title the content's title
 * @param rights what the issuer allows
 * @param usage the record of use the issued license starts with
 * @param contentKey the content key (16 bytes), or {@code null} for a fresh random key at each issue
 */
public record LicenseSpec(KeyId keyId, String contentId, String title, Rights rights, Usage usage, byte[] contentKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public LicenseSpec {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(rights, "rights");
        Objects.requireNonNull(usage, "usage");
        if (contentKey != null) {
            if (contentKey.length != ContentKeys.CONTENT_KEY_LENGTH) {
                throw new IllegalArgumentException("a content key has " + ContentKeys.CONTENT_KEY_LENGTH
                        + " bytes, not " + contentKey.length);
            }
            contentKey = contentKey.clone();
        }
    }

    /**
     * A license for {@code title} with a random key ID, the content ID {@code urn:content:<key ID>},
     * no use yet, and a random content key.
     */
    public static LicenseSpec of(String title, Rights rights) {
        KeyId keyId = KeyId.of(randomBytes(KeyId.LENGTH));
        return new LicenseSpec(keyId, "urn:content:" + keyId, title, rights, Usage.NONE,
                randomBytes(ContentKeys.CONTENT_KEY_LENGTH));
    }

    @Override
    public byte[] contentKey() {
        return contentKey == null ? null : contentKey.clone();
    }

    public LicenseSpec withUsage(Usage newUsage) {
        return new LicenseSpec(keyId, contentId, title, rights, newUsage, contentKey);
    }

    /** Another key ID; the content ID stays as it is. */
    public LicenseSpec withKeyId(KeyId newKeyId) {
        return new LicenseSpec(newKeyId, contentId, title, rights, usage, contentKey);
    }

    /** @param newContentKey 16 bytes, or {@code null} for a fresh random key at each issue */
    public LicenseSpec withContentKey(byte[] newContentKey) {
        return new LicenseSpec(keyId, contentId, title, rights, usage, newContentKey);
    }

    public LicenseSpec withRights(Rights newRights) {
        return new LicenseSpec(keyId, contentId, title, newRights, usage, contentKey);
    }

    public LicenseSpec withTitle(String newTitle) {
        return new LicenseSpec(keyId, contentId, newTitle, rights, usage, contentKey);
    }

    public LicenseSpec withContentId(String newContentId) {
        return new LicenseSpec(keyId, newContentId, title, rights, usage, contentKey);
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LicenseSpec s
                && keyId.equals(s.keyId) && contentId.equals(s.contentId) && title.equals(s.title)
                && rights.equals(s.rights) && usage.equals(s.usage) && Arrays.equals(contentKey, s.contentKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, contentId, title, rights, usage) * 31 + Arrays.hashCode(contentKey);
    }

    /** Leaves out the content key: logs never carry key material. */
    @Override
    public String toString() {
        return "LicenseSpec[keyId=" + keyId + ", contentId=" + contentId + ", title=" + title
                + ", rights=" + rights + ", usage=" + usage + "]";
    }
}
