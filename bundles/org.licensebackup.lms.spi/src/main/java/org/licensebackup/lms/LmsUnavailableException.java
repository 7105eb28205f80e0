package org.licensebackup.lms;

/** The license management service cannot be reached or refuses sessions. */
public class LmsUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LmsUnavailableException(String message) {
        super(message);
    }

    public LmsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
