package org.licensebackup.lms.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's endpoints, all under {@value #ROOT}; bodies are {@link Messages}. */
public final class Endpoints {

    public static final String ROOT = "/lms/v1";
    /** GET: the server's public keys ({@link Messages.KeysAnswer}); unauthenticated, signed. */
    public static final String KEYS = ROOT + "/keys";
    /** POST, empty body: a fresh single-use nonce ({@link Messages.NonceAnswer}). */
    public static final String NONCES = ROOT + "/nonces";
    /** POST, nonce-signed: opens a session ({@link Messages.OpenSession} to {@link Messages.SessionOpened}). */
    public static final String SESSIONS = ROOT + "/sessions";
    /** POST, nonce-signed: gives licenses back ({@link Messages.ReleaseRequest} to {@link Messages.Released}). */
    public static final String RELEASES = ROOT + "/releases";

    /** The media type of every binary body. */
    public static final String BINARY_MEDIA_TYPE = "application/vnd.licensebackup.lms.v1";
    /** The media type of error bodies. */
    public static final String ERROR_MEDIA_TYPE = "application/json";

    /** A session ID: 16 random bytes in base64url without padding. */
    public static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern SESSION_PATH = Pattern.compile(Pattern.quote(SESSIONS) + "/([A-Za-z0-9_-]{22})/([a-z-]+)");

    private Endpoints() {
    }

    /** What can be done in a session, each at {@code /lms/v1/sessions/{id}/{path}}, with POST. */
    public enum SessionAction {
        /** {@link Messages.FileKeyRequest} to {@link Messages.FileKeyAnswer}. */
        FILE_KEY("file-key"),
        /** {@link Messages.EscrowRequest} to an empty body. */
        ESCROW("escrows"),
        /** {@link Messages.LicenseBatch} to {@link Messages.AllowanceList}. */
        ALLOWANCES("allowances"),
        /** {@link Messages.LicenseBatch} to {@link Messages.RebindingList}. */
        REBIND("rebindings"),
        /** Empty to empty: the session's re-bindings count. */
        COMMIT("commit"),
        /** Empty to empty: the session ends. */
        CLOSE("close");

        private final String path;

        SessionAction(String path) {
            this.path = path;
        }

        public String path(String sessionId) {
            return SESSIONS + "/" + sessionId + "/" + path;
        }
    }

    /** A session action and the session it is for. */
    public record SessionCall(String sessionId, SessionAction action) {
    }

    /** The session call {@code path} names, if it names one. */
    public static Optional<SessionCall> sessionCall(String path) {
        Matcher matcher = SESSION_PATH.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        for (SessionAction action : SessionAction.values()) {
            if (action.path.equals(matcher.group(2))) {
                return Optional.of(new SessionCall(matcher.group(1), action));
            }
        }
        return Optional.empty();
    }
}
