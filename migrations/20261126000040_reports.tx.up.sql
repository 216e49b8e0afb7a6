CREATE TABLE reports (
	id {{.ID}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	period TEXT NOT NULL,
	status TEXT NOT NULL,
	revision INTEGER NOT NULL DEFAULT 1,
	submitted_revision INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	report_values {{.JSON}} NOT NULL,
	field_comments {{.JSON}} NOT NULL,
	review_comment TEXT NOT NULL DEFAULT '',
	assessment {{.JSON}},
	submitted_at {{.TS}},
	last_submitted_at {{.TS}},
	late {{.Bool}} NOT NULL DEFAULT FALSE,
	accepted_at {{.TS}},
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX reports_ta_period_key ON reports (target_area_id, period);
--bun:split
CREATE INDEX reports_unit_idx ON reports (unit_id);
--bun:split
CREATE INDEX reports_campaign_period_idx ON reports (campaign_id, period);
--bun:split
CREATE TABLE report_revisions (
	id {{.ID}},
	report_id BIGINT NOT NULL REFERENCES reports (id),
	revision INTEGER NOT NULL,
	report_values {{.JSON}} NOT NULL,
	submitted_by BIGINT,
	submitted_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX report_revisions_key ON report_revisions (report_id, revision);
--bun:split
CREATE TABLE report_events (
	id {{.ID}},
	report_id BIGINT NOT NULL REFERENCES reports (id),
	action TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	revision INTEGER NOT NULL,
	actor_id BIGINT,
	comment TEXT NOT NULL DEFAULT '',
	field_comments {{.JSON}},
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX report_events_report_idx ON report_events (report_id, at);
--bun:split
CREATE TABLE evaluations (
	id {{.ID}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	period TEXT NOT NULL,
	report_id BIGINT REFERENCES reports (id),
	report_revision INTEGER NOT NULL DEFAULT 0,
	report_status TEXT NOT NULL,
	timeliness TEXT NOT NULL,
	met_count INTEGER NOT NULL,
	all_met {{.Bool}} NOT NULL,
	c1 TEXT NOT NULL, c2 TEXT NOT NULL, c3 TEXT NOT NULL, c4 TEXT NOT NULL,
	c5 TEXT NOT NULL, c6 TEXT NOT NULL, c7 TEXT NOT NULL,
	result {{.JSON}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX evaluations_ta_period_key ON evaluations (target_area_id, period);
--bun:split
CREATE INDEX evaluations_campaign_period_idx ON evaluations (campaign_id, period);
--bun:split
CREATE TABLE baselines (
	id {{.ID}},
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	incidents BIGINT NOT NULL,
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	entered_by BIGINT,
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX baselines_ta_key ON baselines (target_area_id);
--bun:split
CREATE TABLE target_area_exits (
	id {{.ID}},
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	report_id BIGINT NOT NULL REFERENCES reports (id),
	period TEXT NOT NULL,
	evidence TEXT NOT NULL,
	snapshot {{.JSON}} NOT NULL,
	proposed_by BIGINT,
	proposed_at {{.TS}} NOT NULL,
	outcome TEXT NOT NULL DEFAULT '',
	decision {{.JSON}},
	reason TEXT NOT NULL DEFAULT '',
	decided_by BIGINT,
	decided_at {{.TS}}
);
--bun:split
CREATE INDEX target_area_exits_ta_idx ON target_area_exits (target_area_id, proposed_at);
--bun:split
CREATE TABLE idempotency_keys (
	id {{.ID}},
	user_id BIGINT NOT NULL,
	idem_key TEXT NOT NULL,
	route TEXT NOT NULL,
	body_hash TEXT NOT NULL,
	status INTEGER NOT NULL,
	response TEXT NOT NULL,
	created_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys (user_id, idem_key);
