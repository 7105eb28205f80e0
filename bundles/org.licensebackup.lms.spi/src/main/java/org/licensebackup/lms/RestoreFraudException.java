package org.licensebackup.lms;

/** A backup that was not made for this license management service, or not genuine. */
public class RestoreFraudException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RestoreFraudException(String message) {
        super(message);
    }

    public RestoreFraudException(String message, Throwable cause) {
        super(message, cause);
    }
}
