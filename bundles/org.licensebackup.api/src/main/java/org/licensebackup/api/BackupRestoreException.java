package org.licensebackup.api;

import java.util.Objects;

/** A failure of a backup or restore, typed by its {@link ErrorCode}. */
public class BackupRestoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public BackupRestoreException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public BackupRestoreException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
