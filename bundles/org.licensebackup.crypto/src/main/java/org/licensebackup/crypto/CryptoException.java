package org.licensebackup.crypto;

/** A key, a signature or a ciphertext that does not check, or a primitive the platform lacks. */
public class CryptoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
