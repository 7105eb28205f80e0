package org.licensebackup.lms.protocol;

import org.licensebackup.license.LicenseCodec;

/**
 * The protocol's hard limits, checked before anything is allocated for what a message announces,
 * so that no request, however malformed or hostile, makes either end allocate more than this.
 */
public final class Limits {

    /** The largest body either end accepts: a full batch of typical (1 KiB) licenses fits twice. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** The most licenses in one batch of re-bindings or allowances. */
    public static final int MAX_BATCH_LICENSES = 2048;
    /**
     * The lanes of a session: each carries requests in a sequence of its own, so a device may have
     * one request per lane with the server at once; they are numbered from 0.
     */
    public static final int MAX_LANES = 4;
    /** The most key IDs in one release. */
    public static final int MAX_RELEASE_KEY_IDS = 65_536;
    /** The longest byte field other than a license: wrapped keys, escrows, contexts. */
    public static final int MAX_BLOB_BYTES = 4096;
    /** The longest string field, in bytes of UTF-8: IDs, messages, URLs. */
    public static final int MAX_STRING_BYTES = 2048;
    /** The longest license, as the license codec bounds it. */
    public static final int MAX_LICENSE_BYTES = LicenseCodec.MAX_LICENSE_BYTES;
    /** The most trusted issuer keys a session announces. */
    public static final int MAX_TRUSTED_KEYS = 1024;
    /** The longest value of a header the protocol reads. */
    public static final int MAX_HEADER_CHARS = 4096;

    private Limits() {
    }
}
