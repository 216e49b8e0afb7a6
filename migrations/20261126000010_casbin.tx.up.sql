CREATE TABLE casbin_rule (
	id {{.ID}},
	ptype TEXT NOT NULL,
	v0 TEXT NOT NULL DEFAULT '',
	v1 TEXT NOT NULL DEFAULT '',
	v2 TEXT NOT NULL DEFAULT '',
	v3 TEXT NOT NULL DEFAULT '',
	v4 TEXT NOT NULL DEFAULT '',
	v5 TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE UNIQUE INDEX casbin_rule_key ON casbin_rule (ptype, v0, v1, v2, v3, v4, v5);
