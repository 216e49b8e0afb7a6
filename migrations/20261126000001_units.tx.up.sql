CREATE TABLE units (
	id {{.ID}},
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('province', 'district', 'ward')),
	unit_type TEXT NOT NULL DEFAULT '',
	parent_id BIGINT REFERENCES units (id),
	tenant_id BIGINT,
	path {{.Path}} NOT NULL,
	depth INTEGER NOT NULL,
	created_at {{.TS}} NOT NULL,
	updated_at {{.TS}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX units_code_key ON units (code);
--bun:split
CREATE UNIQUE INDEX units_path_key ON units (path);
--bun:split
CREATE INDEX units_parent_idx ON units (parent_id);
--bun:split
CREATE INDEX units_tenant_idx ON units (tenant_id);
--bun:split
CREATE INDEX units_name_folded_idx ON units (name_folded);
