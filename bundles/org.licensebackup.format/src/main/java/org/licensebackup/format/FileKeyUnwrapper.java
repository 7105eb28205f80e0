package org.licensebackup.format;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Unwraps a backup's file key: only the license management service the backup was made for holds
 * the private key to do so (in practice its restore session).
 */
@ConsumerType
public interface FileKeyUnwrapper {

    /**
     * @param wrappedFileKey the file key as {@code org.licensebackup.crypto.KeyWrap} wrapped it
     * @param context the context it was wrapped in, which binds it to the backup's header
     * @return the 32-byte file key, in an array the reader then owns: it wipes it once the file's keys are derived
     * @throws RuntimeException of the implementation's choice when the key does not unwrap; the
     *     reader passes it through unchanged
     */
    byte[] unwrap(byte[] wrappedFileKey, byte[] context);
}
