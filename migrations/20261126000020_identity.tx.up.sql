CREATE TABLE users (
	id {{.ID}},
	username TEXT NOT NULL,
	full_name TEXT NOT NULL,
	unit_id BIGINT REFERENCES units (id),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
	password_hash TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT 'vi',
	last_login_at {{.TS}},
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX users_username_key ON users (username);
--bun:split
CREATE INDEX users_unit_idx ON users (unit_id);
--bun:split
CREATE TABLE api_tokens (
	id {{.ID}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	token_hash TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'api',
	created_at {{.TS}} NOT NULL,
	expires_at {{.TS}} NOT NULL,
	revoked_at {{.TS}},
	ip TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
--bun:split
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
--bun:split
CREATE TABLE login_attempts (
	id {{.ID}},
	username TEXT NOT NULL,
	ip TEXT NOT NULL,
	success {{.Bool}} NOT NULL,
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
--bun:split
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);
--bun:split
CREATE TABLE web_sessions (
	token TEXT PRIMARY KEY,
	data {{if .PG}}BYTEA{{else}}BLOB{{end}} NOT NULL,
	expiry {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX web_sessions_expiry_idx ON web_sessions (expiry);
--bun:split
CREATE TABLE audit_log (
	id {{.ID}},
	at {{.TS}} NOT NULL,
	actor_id BIGINT,
	actor_username TEXT NOT NULL DEFAULT '',
	actor_unit_id BIGINT,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id TEXT NOT NULL DEFAULT '',
	unit_id BIGINT,
	unit_path {{.Path}},
	before {{.JSON}},
	after {{.JSON}},
	ip TEXT NOT NULL DEFAULT '',
	request_id TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX audit_log_path_idx ON audit_log (unit_path, at);
--bun:split
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
--bun:split
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
--bun:split
{{if .PG}}
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
{{else}}
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
{{end}}
--bun:split
{{if .PG}}
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{else}}
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
{{end}}
