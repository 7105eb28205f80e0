package org.licensebackup.lms;

/** A license already restored to as many unique devices as allowed. */
public class DeviceLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeviceLimitException(String message) {
        super(message);
    }

    public DeviceLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
