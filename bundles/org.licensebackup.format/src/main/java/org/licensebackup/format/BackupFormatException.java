package org.licensebackup.format;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/** A backup that cannot be written where asked, or cannot be trusted or understood when read. */
public final class BackupFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The target exists and overwriting was not allowed. */
        EXISTS,
        /**
         * The file is damaged, truncated or altered (its header's signature or any MAC fails: a
         * reader cannot tell tampering from damage there), or was opened with the wrong file key.
         */
        CORRUPT,
        /** The file declares a format version or an algorithm this reader does not know. */
        UNSUPPORTED,
        /**
         * The header is intact and its signature verifies, but it claims a device its keys do not
         * make (version 2: the device ID is not {@code DeviceIds.of} its signing and agreement
         * keys): no writer that follows the format makes such a file, so whoever signed it made it
         * to pass for another device. {@link BackupFormatException#claimedHeader()} says whom.
         *
         * @since 2.1
         */
        FORGED
    }

    private final Kind kind;
    /** The header as its signer wrote it, for {@link Kind#FORGED}; else null. */
    private final BackupHeader claimedHeader;

    public BackupFormatException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.claimedHeader = null;
    }

    public BackupFormatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.claimedHeader = null;
    }

    private BackupFormatException(String message, BackupHeader claimedHeader) {
        super(message);
        this.kind = Kind.FORGED;
        this.claimedHeader = claimedHeader;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For a {@link Kind#FORGED} file, its header as its signer wrote it (the device ID it claims,
     * the keys that signed it), so that a caller can tell whom it was made to pass for; empty for
     * every other kind. Nothing in it may be trusted but that the holder of its signing key wrote it.
     *
     * @since 2.1
     */
    public Optional<BackupHeader> claimedHeader() {
        return Optional.ofNullable(claimedHeader);
    }

    static BackupFormatException corrupt(String message) {
        return new BackupFormatException(Kind.CORRUPT, message);
    }

    static BackupFormatException forged(String message, BackupHeader claimedHeader) {
        return new BackupFormatException(message, Objects.requireNonNull(claimedHeader, "claimedHeader"));
    }
}
