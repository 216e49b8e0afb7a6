DROP INDEX idempotency_keys_created_idx;
--bun:split
ALTER TABLE evaluations DROP COLUMN relapse;
--bun:split
ALTER TABLE evaluations DROP COLUMN kind;
