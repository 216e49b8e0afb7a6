DROP TABLE audit_log;
--bun:split
{{if .PG}}DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE;{{else}}SELECT 1;{{end}}
--bun:split
DROP TABLE web_sessions;
--bun:split
DROP TABLE login_attempts;
--bun:split
DROP TABLE api_tokens;
--bun:split
DROP TABLE users;
