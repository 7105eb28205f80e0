package org.licensebackup.options;

import java.util.Base64;

/**
 * The one spelling of a 32-byte public key (Ed25519, X25519) wherever a person reads or types one:
 * standard base64 with padding, as {@code connect}, {@code server} and the logs print it. On input
 * the URL-safe alphabet and a missing padding are taken too, since keys copied from a protocol's
 * {@code keyid} are spelled so.
 */
public final class PublicKeys {

    /** The bytes of an Ed25519 or X25519 public key. */
    public static final int LENGTH = 32;

    private PublicKeys() {
    }

    /** {@code key} in standard base64 with padding. */
    public static String format(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * @param name what the key is, as a refusal names it (an option, a configuration property)
     * @throws IllegalArgumentException when {@code text} is not base64 of exactly {@value #LENGTH} bytes
     */
    public static byte[] parse(String name, String text) {
        String trimmed = text == null ? "" : text.strip();
        byte[] key;
        try {
            key = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not a key in base64: " + abbreviated(trimmed));
        }
        if (key.length != LENGTH) {
            throw new IllegalArgumentException(name + ": a public key has " + LENGTH + " bytes, this one " + key.length + ": "
                    + abbreviated(trimmed));
        }
        return key;
    }

    /** Whether {@code text} is a key {@link #parse} takes. */
    public static boolean isKey(String text) {
        try {
            parse("", text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
