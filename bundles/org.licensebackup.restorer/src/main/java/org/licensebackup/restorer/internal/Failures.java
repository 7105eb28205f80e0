package org.licensebackup.restorer.internal;

import org.licensebackup.device.DeviceRecordException;

import java.io.IOException;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.format.BackupFormatException;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.store.StoreException;

/** Maps whatever stopped an operation to the documented error code hosts see. */
final class Failures {

    private Failures() {
    }

    static BackupRestoreException classify(Throwable failure) {
        if (failure instanceof BackupRestoreException typed) {
            return typed;
        }
        if (failure instanceof BackupFormatException format) {
            ErrorCode code = switch (format.kind()) {
                case EXISTS -> ErrorCode.BACKUP_EXISTS;
                case CORRUPT -> ErrorCode.BACKUP_CORRUPT;
                case UNSUPPORTED -> ErrorCode.BAD_DATA;
                // signed, but made to pass for a device whose keys did not sign it
                case FORGED -> ErrorCode.RESTORE_FRAUD;
            };
            return new BackupRestoreException(code, format.getMessage(), format);
        }
        if (failure instanceof MalformedLicenseException malformed) {
            return new BackupRestoreException(ErrorCode.BACKUP_CORRUPT, "a license in the backup is malformed: "
                    + malformed.getMessage(), malformed);
        }
        if (failure instanceof RestoreFraudException fraud) {
            return new BackupRestoreException(ErrorCode.RESTORE_FRAUD, fraud.getMessage(), fraud);
        }
        if (failure instanceof LmsUnavailableException unavailable) {
            return new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, unavailable.getMessage(), unavailable);
        }
        if (failure instanceof StoreException store) {
            return new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, store.getMessage(), store);
        }
        if (failure instanceof DeviceRecordException record) {
            return new BackupRestoreException(ErrorCode.IO_ERROR, record.getMessage(), record);
        }
        if (failure instanceof IOException io) {
            return new BackupRestoreException(ErrorCode.IO_ERROR, String.valueOf(io.getMessage()), io);
        }
        return new BackupRestoreException(ErrorCode.INTERNAL_ERROR, String.valueOf(failure), failure);
    }

    static BackupRestoreException cancelled() {
        return new BackupRestoreException(ErrorCode.CANCELLED, "cancelled on request");
    }
}
