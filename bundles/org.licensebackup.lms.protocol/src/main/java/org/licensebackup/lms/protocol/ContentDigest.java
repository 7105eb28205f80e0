package org.licensebackup.lms.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * RFC 9530 {@code Content-Digest} with {@code sha-256}: the body's hash as a structured dictionary,
 * {@code sha-256=:base64:}. Signatures cover this header, and through it the body.
 */
public final class ContentDigest {

    public static final String HEADER = "content-digest";
    public static final String ALGORITHM = "sha-256";

    private ContentDigest() {
    }

    public static String of(byte[] body) {
        return ALGORITHM + "=" + StructuredFields.serializeBareItem(sha256(body));
    }

    /** Whether {@code header} holds the sha-256 digest of {@code body}; other algorithms are ignored. */
    public static boolean matches(String header, byte[] body) {
        Map<String, Object> members = StructuredFields.parseDictionary(header);
        return members.get(ALGORITHM) instanceof StructuredFields.Item item
                && item.value() instanceof byte[] digest
                && MessageDigest.isEqual(digest, sha256(body));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
