package org.licensebackup.lms.server.internal;

/**
 * A support action or look-up that cannot be done, for what was asked: its message starts with its
 * code, one line, as the console shows it and {@code license:support} prints it.
 */
final class SupportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    enum Code {
        /** A key ID, device ID, reason or operator name that is not one. */
        BAD_INPUT,
        /** The ledger knows no such license or device. */
        NOT_FOUND,
        /** The device holds no slot to free. */
        NOT_HELD
    }

    private final Code code;

    SupportException(Code code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    Code code() {
        return code;
    }
}
