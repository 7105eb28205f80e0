package org.licensebackup.format;

import java.io.IOException;
import java.util.Objects;

/** A backup that cannot be written where asked, or cannot be trusted or understood when read. */
public final class BackupFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The target exists and overwriting was not allowed. */
        EXISTS,
        /** The file is damaged, truncated, altered, forged, or was opened with the wrong file key. */
        CORRUPT,
        /** The file declares a format version or an algorithm this reader does not know. */
        UNSUPPORTED
    }

    private final Kind kind;

    public BackupFormatException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public BackupFormatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    static BackupFormatException corrupt(String message) {
        return new BackupFormatException(Kind.CORRUPT, message);
    }
}
