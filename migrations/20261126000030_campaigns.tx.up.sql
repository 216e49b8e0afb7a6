CREATE TABLE campaigns (
	id {{.ID}},
	province_id BIGINT NOT NULL REFERENCES units (id),
	year INTEGER NOT NULL,
	title TEXT NOT NULL,
	decision {{.JSON}} NOT NULL,
	documents {{.JSON}} NOT NULL,
	calendar {{.JSON}} NOT NULL,
	thresholds {{.JSON}} NOT NULL,
	indicators {{.JSON}} NOT NULL,
	plan_due TEXT NOT NULL,
	exit_period TEXT NOT NULL DEFAULT 'NAM',
	monthly_due_day INTEGER NOT NULL DEFAULT 5,
	relapse_indicators {{.JSON}} NOT NULL,
	created_by BIGINT,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX campaigns_province_year_key ON campaigns (province_id, year);
--bun:split
CREATE TABLE target_areas (
	id {{.ID}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	district_id BIGINT REFERENCES units (id),
	status TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	deadline TEXT NOT NULL DEFAULT '',
	decision_ref TEXT NOT NULL DEFAULT '',
	exit_snapshot {{.JSON}},
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX target_areas_campaign_unit_key ON target_areas (campaign_id, unit_id);
--bun:split
CREATE INDEX target_areas_unit_idx ON target_areas (unit_id);
--bun:split
CREATE TABLE target_area_events (
	id {{.ID}},
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	action TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	actor_id BIGINT,
	decision_ref TEXT NOT NULL DEFAULT '',
	comment TEXT NOT NULL DEFAULT '',
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX target_area_events_ta_idx ON target_area_events (target_area_id, at);
--bun:split
CREATE TABLE plans (
	id {{.ID}},
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	title TEXT NOT NULL,
	status TEXT NOT NULL,
	body {{.JSON}} NOT NULL,
	due TEXT NOT NULL DEFAULT '',
	submitted_at {{.TS}},
	late {{.Bool}} NOT NULL DEFAULT FALSE,
	review_comment TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX plans_ta_unit_key ON plans (target_area_id, unit_id);
--bun:split
CREATE INDEX plans_unit_idx ON plans (unit_id);
--bun:split
CREATE TABLE plan_events (
	id {{.ID}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	action TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	actor_id BIGINT,
	comment TEXT NOT NULL DEFAULT '',
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX plan_events_plan_idx ON plan_events (plan_id, at);
--bun:split
CREATE TABLE committee_members (
	id {{.ID}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	full_name TEXT NOT NULL,
	position TEXT NOT NULL,
	agency TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	assignments {{.JSON}} NOT NULL,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX committee_members_unit_idx ON committee_members (unit_id);
--bun:split
CREATE TABLE models (
	id {{.ID}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	established TEXT NOT NULL DEFAULT '',
	members INTEGER NOT NULL DEFAULT 0,
	effective {{.Bool}} NOT NULL DEFAULT FALSE,
	notes TEXT NOT NULL DEFAULT '',
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX models_unit_idx ON models (unit_id);
--bun:split
CREATE TABLE attachments (
	id {{.ID}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	owner_type TEXT NOT NULL,
	owner_id BIGINT NOT NULL,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	storage_key TEXT NOT NULL,
	created_by BIGINT,
	created_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX attachments_owner_idx ON attachments (owner_type, owner_id);
--bun:split
CREATE INDEX attachments_unit_idx ON attachments (unit_id);
