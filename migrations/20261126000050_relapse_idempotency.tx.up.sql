-- Relapse watch: an evaluation is of the seven criteria ('criteria') or, for
-- an area under relapse watch, of the campaign's relapse indicators
-- ('relapse'); relapse is true when a watched indicator shows a sign.
ALTER TABLE evaluations ADD COLUMN kind TEXT NOT NULL DEFAULT 'criteria';
--bun:split
ALTER TABLE evaluations ADD COLUMN relapse {{.Bool}} NOT NULL DEFAULT FALSE;
--bun:split
-- Idempotency keys expire; every keyed write deletes the expired ones.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
