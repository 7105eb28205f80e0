package org.licensebackup.device.internal;

/** A device key file that cannot be read, is not of the key file's form, or cannot be written. */
final class KeyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KeyFileException(String message) {
        super(message);
    }

    KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
