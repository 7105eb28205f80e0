package org.licensebackup.format;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Unwraps a backup's file key: the license management service the backup was made for (in practice
 * its restore session), or, for a version 2 backup, the device that made it
 * ({@code DeviceIdentity::unwrapFileKey}). {@code org.licensebackup.crypto.FileKeyWrap.unwrap} opens
 * the key of every version, given the private key.
 */
@ConsumerType
public interface FileKeyUnwrapper {

    /**
     * @param wrappedFileKey the file key as {@code org.licensebackup.crypto.FileKeyWrap} wrapped it:
     *     80 bytes ({@code KeyWrap}) in a version 1 backup, 81 bytes (HPKE) in version 2
     * @param context the context it was wrapped in, which binds it to the backup's header
     * @return the 32-byte file key, in an array the reader then owns: it wipes it once the file's keys are derived
     * @throws RuntimeException of the implementation's choice when the key does not unwrap; the
     *     reader passes it through unchanged
     */
    byte[] unwrap(byte[] wrappedFileKey, byte[] context);
}
