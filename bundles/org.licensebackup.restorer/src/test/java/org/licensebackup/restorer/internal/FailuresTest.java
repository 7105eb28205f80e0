package org.licensebackup.restorer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.format.BackupFormatException;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.store.StoreException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void anExistingBackupIsBackupExists() {
        assertCode(ErrorCode.BACKUP_EXISTS, new BackupFormatException(BackupFormatException.Kind.EXISTS, "exists"));
    }

    @Test
    void aDamagedBackupIsBackupCorrupt() {
        assertCode(ErrorCode.BACKUP_CORRUPT, new BackupFormatException(BackupFormatException.Kind.CORRUPT, "bad tag"));
        assertCode(ErrorCode.BACKUP_CORRUPT, new MalformedLicenseException("truncated"));
    }

    @Test
    void anUnknownVersionOrAlgorithmIsBadData() {
        assertCode(ErrorCode.BAD_DATA, new BackupFormatException(BackupFormatException.Kind.UNSUPPORTED, "v9"));
    }

    @Test
    void aBackupForAnotherServiceIsRestoreFraud() {
        assertCode(ErrorCode.RESTORE_FRAUD, new RestoreFraudException("not ours"));
    }

    @Test
    void aBackupThatClaimsAnIdItsKeysDoNotMakeIsRestoreFraud() {
        assertCode(ErrorCode.RESTORE_FRAUD, new BackupFormatException(BackupFormatException.Kind.FORGED, "claims another device"));
    }

    @Test
    void anUnreachableServiceIsRestoreServiceUnavailable() {
        assertCode(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, new LmsUnavailableException("down"));
    }

    @Test
    void storeAndDiskFailuresKeepTheirOwnCodes() {
        assertCode(ErrorCode.STORE_UNAVAILABLE, new StoreException("closed"));
        assertCode(ErrorCode.IO_ERROR, new IOException("disk full"));
    }

    @Test
    void anythingElseIsAnInternalError() {
        assertCode(ErrorCode.INTERNAL_ERROR, new IllegalStateException("bug"));
    }

    @Test
    void aTypedFailureIsKeptAsItIs() {
        BackupRestoreException busy = new BackupRestoreException(ErrorCode.BUSY, "busy");
        assertSame(busy, Failures.classify(busy));
    }

    private static void assertCode(ErrorCode expected, Throwable failure) {
        BackupRestoreException classified = Failures.classify(failure);
        assertEquals(expected, classified.code());
        assertSame(failure, classified.getCause());
    }
}
