package org.licensebackup.lms.protocol;

/** What went wrong with a request, as the server answers it in {@code {"error":"CODE","message":"..."}}. */
public enum ErrorCode {
    /** The request is not of the protocol's form: a missing or bad header, parameter or path. */
    BAD_REQUEST(400),
    /** The body does not decode as the endpoint's message. */
    MALFORMED_BODY(400),
    /** No valid signature of the device's key covers the request, or the device ID does not match its keys. */
    NOT_AUTHENTICATED(401),
    /** No such endpoint. */
    NOT_FOUND(404),
    /** The session is unknown, expired or closed. */
    UNKNOWN_SESSION(404),
    /** The endpoint does not take this method. */
    METHOD_NOT_ALLOWED(405),
    /** The nonce was used already or expired, or a sequence number was used already for another request. */
    REPLAYED(409),
    /** A sequence number skips ahead of the session's next one. */
    OUT_OF_ORDER(409),
    /** The session was committed: it takes no more re-bindings. */
    SESSION_COMMITTED(409),
    /** The request's body did not arrive within the server's deadline (a stalled or too slow upload). */
    REQUEST_TIMEOUT(408),
    /** The body, or a batch in it, is larger than the protocol's limits; a declared length over it is refused from the headers. */
    TOO_LARGE(413),
    /**
     * Over a limit of unauthenticated work: nonces per client address or in all, sessions per device;
     * the answer's {@code Retry-After} says in how many seconds to try again.
     */
    TOO_MANY_REQUESTS(429),
    /** The request line or headers are longer than the server reads. */
    HEADERS_TOO_LARGE(431),
    /** The backup is not genuine for this server: a key escrow or content key that does not open. */
    RESTORE_FRAUD(422),
    /** The server cannot serve now (its database is unreachable); try again later. */
    UNAVAILABLE(503),
    /** A fault of the server. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the server answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
