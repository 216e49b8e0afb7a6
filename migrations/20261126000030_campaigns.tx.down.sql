DROP TABLE attachments;
--bun:split
DROP TABLE models;
--bun:split
DROP TABLE committee_members;
--bun:split
DROP TABLE plan_events;
--bun:split
DROP TABLE plans;
--bun:split
DROP TABLE target_area_events;
--bun:split
DROP TABLE target_areas;
--bun:split
DROP TABLE campaigns;
