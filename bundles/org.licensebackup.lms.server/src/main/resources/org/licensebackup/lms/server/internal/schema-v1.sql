-- The license management server's ledger, schema version 1.
-- Only SQL that both H2 2.x and PostgreSQL accept: the embedded default is H2, a shared ledger is PostgreSQL.
-- Statements are separated by lines that end with ';'.

CREATE TABLE lms_schema_version (
    version INTEGER NOT NULL PRIMARY KEY
);

-- The server's private keys (X25519 'agreement', Ed25519 'signing'), made on first start, shared by
-- every instance on this database.
CREATE TABLE lms_server_keys (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    private_key BYTEA NOT NULL
);

-- One row per license ever re-bound: the row a batch locks (SELECT ... FOR UPDATE) to count and
-- reserve that license's devices exactly under concurrency.
CREATE TABLE lms_licenses (
    key_id BYTEA NOT NULL PRIMARY KEY
);

-- Committed bindings: the unique devices each license counts on.
CREATE TABLE lms_bindings (
    key_id BYTEA NOT NULL,
    device_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (key_id, device_id)
);
CREATE INDEX lms_bindings_by_device ON lms_bindings (device_id);

-- Restore sessions; expires_at in epoch milliseconds moves with every request. The last sequence
-- number, the signature of that request and its answer serve retries.
CREATE TABLE lms_sessions (
    session_id VARCHAR(32) NOT NULL PRIMARY KEY,
    device_id VARCHAR(64) NOT NULL,
    signing_key BYTEA NOT NULL,
    agreement_key BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    committed BOOLEAN NOT NULL,
    last_sequence BIGINT NOT NULL,
    last_signature BYTEA,
    last_status INTEGER,
    last_answer BYTEA
);

-- Devices a session holds for a license: while it lives; for good once it commits (they count as bindings
-- from then on, and are moved into lms_bindings, a chunk per transaction, once the session has ended).
CREATE TABLE lms_reservations (
    session_id VARCHAR(32) NOT NULL,
    key_id BYTEA NOT NULL,
    device_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (session_id, key_id, device_id)
);
CREATE INDEX lms_reservations_by_key ON lms_reservations (key_id);

-- Device key escrows a session accepted, still wrapped for the server's key, so that any instance
-- can serve the session.
CREATE TABLE lms_escrows (
    session_id VARCHAR(32) NOT NULL,
    device_id VARCHAR(64) NOT NULL,
    escrow BYTEA NOT NULL,
    PRIMARY KEY (session_id, device_id)
);

-- Single-use nonces that open sessions and authorize releases.
CREATE TABLE lms_nonces (
    nonce VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

INSERT INTO lms_schema_version (version) VALUES (1);
