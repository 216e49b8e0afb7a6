-- The periodic cleanup (store/cleanup) deletes login attempts by age.
CREATE INDEX login_attempts_at_idx ON login_attempts (at);
--bun:split
-- Denials (403) and out-of-scope probes (404) counted per user, hour and
-- kind: one row however many requests, instead of an audit row each.
-- unit_path is the user's home unit's path (NULL for the platform), so a
-- province reads the counts of its subtree as it reads the audit log.
CREATE TABLE access_denials (
	id {{.ID}},
	user_id BIGINT NOT NULL,
	unit_id BIGINT,
	unit_path {{.Path}},
	hour {{.TS}} NOT NULL,
	kind TEXT NOT NULL,
	count BIGINT NOT NULL,
	last_detail TEXT NOT NULL DEFAULT '',
	first_at {{.TS}} NOT NULL,
	last_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX access_denials_key ON access_denials (user_id, hour, kind);
--bun:split
CREATE INDEX access_denials_hour_idx ON access_denials (hour);
