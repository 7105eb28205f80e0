package org.licensebackup.restorer.internal;

import java.util.List;

import org.licensebackup.license.License;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;

/**
 * What stands in for the license management service when a device restores or checks a backup it
 * made itself, which it opens alone with its own key: offline, as a user whose store broke needs.
 * Every license such a backup can give back is bound to this device, so there is nothing to re-bind
 * and no allowance to ask about; and since the backup is signed by this device's own key (only such
 * a backup is opened this way: {@link OwnBackups}), its licenses are the ones this device's store
 * held, whoever signed them: a license counts as genuine when its signature verifies under the key
 * that it names.
 */
final class OwnBackupSession implements RestoreSession {

    @Override
    public ServiceKeys serviceKeys() {
        throw offline("has no service keys");
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        throw offline("opens the file key with the device's own key");
    }

    @Override
    public boolean trusts(byte[] signerKey) {
        return signerKey != null;
    }

    @Override
    public void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow) {
        throw offline("needs no escrow");
    }

    @Override
    public List<Allowance> allowances(List<License> licenses) {
        if (!licenses.isEmpty()) {
            throw offline("has no license from another device to ask an allowance for");
        }
        return List.of();
    }

    @Override
    public List<Rebinding> rebind(List<License> backedUp) {
        if (!backedUp.isEmpty()) {
            throw offline("has no license from another device to re-bind");
        }
        return List.of();
    }

    @Override
    public void commit() {
        // Nothing was reserved anywhere: the store's own commit is all there is.
    }

    @Override
    public void close() {
    }

    private static IllegalStateException offline(String what) {
        return new IllegalStateException("a restore of this device's own backup " + what);
    }
}
