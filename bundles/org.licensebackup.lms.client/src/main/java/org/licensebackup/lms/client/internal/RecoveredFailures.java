package org.licensebackup.lms.client.internal;

/**
 * Where the client reports a failure it recovers from, so that it leaves a trace although nothing
 * fails: a request sent again after no answer or a 5xx one, the keys the server last authenticated
 * used while it cannot be reached, a session left for the server to expire.
 */
@FunctionalInterface
interface RecoveredFailures {

    /** @param what what failed, and what the client does instead */
    void report(String what);
}
