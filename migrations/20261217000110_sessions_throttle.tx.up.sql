-- Issue 17. A user's session epoch counts the changes that end its web
-- sessions (password, status, roles); a session carries the epoch of its
-- sign-in and is refused once they differ, on every instance.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
--bun:split
-- The user of a stored web session, so that such a change also deletes
-- the user's sessions (NULL before sign-in).
ALTER TABLE web_sessions ADD COLUMN user_id BIGINT;
--bun:split
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
--bun:split
-- Sign-in throttling counts failures per account and client address.
CREATE INDEX login_attempts_user_ip_idx ON login_attempts (username, ip, at);
