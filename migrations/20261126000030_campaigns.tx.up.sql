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
	version INTEGER NOT NULL DEFAULT 1,
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
	district_id BIGINT NOT NULL REFERENCES units (id),
	status TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	deadline TEXT,
	decision {{.JSON}},
	exit_decision {{.JSON}},
	exit_snapshot {{.JSON}},
	carried_from_id BIGINT REFERENCES target_areas (id),
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
	actor_unit_id BIGINT,
	actor_role TEXT NOT NULL DEFAULT '',
	decision {{.JSON}},
	comment TEXT NOT NULL DEFAULT '',
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX target_area_events_ta_idx ON target_area_events (target_area_id, at);
--bun:split
CREATE TABLE plans (
	id {{.ID}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	unit_id BIGINT NOT NULL REFERENCES units (id),
	number TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	issued_on TEXT,
	preamble TEXT NOT NULL DEFAULT '',
	signer TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	due TEXT,
	submitted_at {{.TS}},
	late {{.Bool}} NOT NULL DEFAULT FALSE,
	reviewed_at {{.TS}},
	review_comment TEXT NOT NULL DEFAULT '',
	copied_from_id BIGINT REFERENCES plans (id),
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
	actor_unit_id BIGINT,
	comment TEXT NOT NULL DEFAULT '',
	late {{.Bool}} NOT NULL DEFAULT FALSE,
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX plan_events_plan_idx ON plan_events (plan_id, at);
--bun:split
CREATE TABLE plan_objectives (
	id {{.ID}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	position INTEGER NOT NULL,
	kind TEXT NOT NULL,
	text TEXT NOT NULL
);
--bun:split
CREATE INDEX plan_objectives_plan_idx ON plan_objectives (plan_id, position);
--bun:split
CREATE TABLE plan_tasks (
	id {{.ID}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	position INTEGER NOT NULL,
	section TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	responsible TEXT NOT NULL DEFAULT '',
	responsible_unit_ids {{.JSON}} NOT NULL,
	responsible_member_ids {{.JSON}} NOT NULL,
	frequency TEXT NOT NULL DEFAULT '',
	due TEXT,
	status TEXT NOT NULL DEFAULT 'not_started',
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX plan_tasks_plan_idx ON plan_tasks (plan_id, section, position);
--bun:split
CREATE TABLE task_progress_notes (
	id {{.ID}},
	task_id BIGINT NOT NULL REFERENCES plan_tasks (id),
	author_id BIGINT,
	text TEXT NOT NULL,
	at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX task_progress_notes_task_idx ON task_progress_notes (task_id, at);
--bun:split
CREATE TABLE budget_lines (
	id {{.ID}},
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	position INTEGER NOT NULL,
	item TEXT NOT NULL,
	amount BIGINT NOT NULL CHECK (amount >= 0),
	funding_source TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX budget_lines_plan_idx ON budget_lines (plan_id, position);
--bun:split
CREATE TABLE committee_members (
	id {{.ID}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	full_name TEXT NOT NULL,
	position TEXT NOT NULL,
	job_title TEXT NOT NULL DEFAULT '',
	agency TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX committee_members_unit_idx ON committee_members (unit_id);
--bun:split
CREATE TABLE committee_assignments (
	member_id BIGINT NOT NULL REFERENCES committee_members (id),
	target_area_id BIGINT NOT NULL REFERENCES target_areas (id),
	PRIMARY KEY (member_id, target_area_id)
);
--bun:split
CREATE INDEX committee_assignments_ta_idx ON committee_assignments (target_area_id);
--bun:split
CREATE TABLE models (
	id {{.ID}},
	unit_id BIGINT NOT NULL REFERENCES units (id),
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	established TEXT,
	members INTEGER NOT NULL DEFAULT 0,
	effective {{.Bool}} NOT NULL DEFAULT FALSE,
	notes TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
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
