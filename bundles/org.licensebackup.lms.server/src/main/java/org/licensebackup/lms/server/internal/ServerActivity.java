package org.licensebackup.lms.server.internal;

import org.licensebackup.lms.Rebinding;

/**
 * What the server did, as its operator counts it: each answered request, and the licenses it
 * re-bound, refused and released. Called on request threads; an implementation is thread-safe and
 * quick.
 */
interface ServerActivity {

    /** Counts nothing: a server without metrics, as tests make it. */
    ServerActivity NONE = new ServerActivity() {
    };

    /**
     * @param endpoint the endpoint's path with any session ID left out, e.g. {@code /sessions/{id}/rebind}
     * @param status the HTTP status of the answer
     * @param nanos how long the server took, from a whole body read to the answer made
     */
    default void answered(String endpoint, int status, long nanos) {
    }

    /** A request refused with a protocol error ({@code REPLAYED}, {@code NOT_AUTHENTICATED}, ...). */
    default void requestRefused(String code) {
    }

    /** Licenses of a batch newly re-bound to the session's device (not those it held already). */
    default void rebound(int licenses) {
    }

    default void licenseRefused(Rebinding.Refusal reason) {
    }

    /** Slots freed, by a device's own signed release or by an operator (see {@link SupportDesk}). */
    default void released(int licenses, boolean byOperator) {
    }
}
