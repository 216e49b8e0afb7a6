DROP INDEX login_attempts_user_ip_idx;
--bun:split
DROP INDEX web_sessions_user_idx;
--bun:split
ALTER TABLE web_sessions DROP COLUMN user_id;
--bun:split
ALTER TABLE users DROP COLUMN session_epoch;
