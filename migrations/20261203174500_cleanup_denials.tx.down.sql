DROP TABLE access_denials;
--bun:split
DROP INDEX login_attempts_at_idx;
