DROP TABLE idempotency_keys;
--bun:split
DROP TABLE target_area_exits;
--bun:split
DROP TABLE baselines;
--bun:split
DROP TABLE evaluations;
--bun:split
DROP TABLE report_events;
--bun:split
DROP TABLE report_revisions;
--bun:split
DROP TABLE reports;
