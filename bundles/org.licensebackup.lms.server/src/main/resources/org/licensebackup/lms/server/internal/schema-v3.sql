-- Version 3: a device's live sessions are counted when it opens another (sessions.per.device),
-- which the index answers without reading every session.
CREATE INDEX lms_sessions_by_device ON lms_sessions (device_id, expires_at);

INSERT INTO lms_schema_version (version) VALUES (3);
