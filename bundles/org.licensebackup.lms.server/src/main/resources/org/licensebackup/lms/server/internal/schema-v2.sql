-- The license management server's ledger, from schema version 1 to 2: a session has lanes, each a
-- sequence of requests of its own, so that a device can have several batches with the server at once.
-- The last sequence number, request signature and answer that serve retries move from the session
-- to each of its lanes; a session's requests so far become its lane 0.
-- Only SQL that both H2 2.x and PostgreSQL accept.

CREATE TABLE lms_session_lanes (
    session_id VARCHAR(32) NOT NULL,
    lane INTEGER NOT NULL,
    last_sequence BIGINT NOT NULL,
    last_signature BYTEA,
    last_status INTEGER,
    last_answer BYTEA,
    PRIMARY KEY (session_id, lane)
);

INSERT INTO lms_session_lanes (session_id, lane, last_sequence, last_signature, last_status, last_answer)
    SELECT session_id, 0, last_sequence, last_signature, last_status, last_answer FROM lms_sessions;

ALTER TABLE lms_sessions DROP COLUMN last_sequence;
ALTER TABLE lms_sessions DROP COLUMN last_signature;
ALTER TABLE lms_sessions DROP COLUMN last_status;
ALTER TABLE lms_sessions DROP COLUMN last_answer;

INSERT INTO lms_schema_version (version) VALUES (2);
