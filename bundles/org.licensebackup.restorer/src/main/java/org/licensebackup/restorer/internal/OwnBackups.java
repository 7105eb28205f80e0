package org.licensebackup.restorer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.format.BackupFormatException;
import org.licensebackup.format.BackupHeader;
import org.licensebackup.format.BackupReader;

/**
 * Which backups are this device's own, which it opens alone and restores offline, trusting the
 * licenses in them as the ones its store held: those whose header names this device's signing key
 * and agreement key, so that this device's key signed them (and, in version 2, the ID is the one
 * those keys make). Both keys are public, in every backup's header: a file that names this
 * device, by its ID or its agreement key, but is signed by another key was made to pass for this
 * device's, and is refused as {@link ErrorCode#RESTORE_FRAUD} before anything is read from it,
 * written anywhere, or asked of a service.
 */
final class OwnBackups {

    private OwnBackups() {
    }

    /**
     * Opens {@code file}'s header, refusing one that claims to be this device's but is not signed by
     * it, as the format's ID rule caught it (a version 2 ID that is not its keys') or as the header
     * shows it (this device's ID or agreement key beside another signing key).
     *
     * @throws BackupRestoreException {@link ErrorCode#RESTORE_FRAUD} for such a file
     * @throws BackupFormatException as {@link BackupReader#open(Path)}; a {@code FORGED} file that
     *     does not name this device is reported by the format's own words
     */
    static BackupReader open(Path file, DeviceIdentity device) throws IOException {
        BackupReader reader;
        try {
            reader = BackupReader.open(file);
        } catch (BackupFormatException refused) {
            if (refused.kind() == BackupFormatException.Kind.FORGED && refused.claimedHeader().isPresent()) {
                refusePassedOff(device, refused.claimedHeader().get(), refused);
            }
            throw refused;
        }
        try {
            refusePassedOff(device, reader.header(), null);
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Whether this device made the backup with this header: its own keys, both of them, and its ID. */
    static boolean madeBy(DeviceIdentity device, BackupHeader header) {
        return Arrays.equals(header.deviceSigningKey(), device.signingPublicKey())
                && header.deviceAgreementKey().map(key -> Arrays.equals(key, device.agreementPublicKey())).orElse(false)
                && header.deviceId().equals(device.deviceId());
    }

    private static void refusePassedOff(DeviceIdentity device, BackupHeader header, Throwable cause) {
        boolean namesThisDevice = header.deviceId().equals(device.deviceId())
                || header.deviceAgreementKey().map(key -> Arrays.equals(key, device.agreementPublicKey())).orElse(false);
        if (namesThisDevice && !Arrays.equals(header.deviceSigningKey(), device.signingPublicKey())) {
            Base64.Encoder base64 = Base64.getEncoder();
            throw new BackupRestoreException(ErrorCode.RESTORE_FRAUD, "the backup claims to be this device's (" + device.deviceId()
                    + "), but is not signed by it: its signing key is " + base64.encodeToString(header.deviceSigningKey())
                    + ", this device's is " + base64.encodeToString(device.signingPublicKey()), cause);
        }
    }
}
