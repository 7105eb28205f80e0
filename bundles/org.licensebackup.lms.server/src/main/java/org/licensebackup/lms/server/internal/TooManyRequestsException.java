package org.licensebackup.lms.server.internal;

import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.ProtocolException;

/** Over a limit of unauthenticated work: answered 429 with {@code Retry-After}. */
final class TooManyRequestsException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    TooManyRequestsException(String message, long retryAfterSeconds) {
        super(ErrorCode.TOO_MANY_REQUESTS, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** In how many seconds the client may try again. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
