DROP TABLE attachments;
--bun:split
DROP TABLE models;
--bun:split
DROP TABLE committee_assignments;
--bun:split
DROP TABLE committee_members;
--bun:split
DROP TABLE budget_lines;
--bun:split
DROP TABLE task_progress_notes;
--bun:split
DROP TABLE plan_tasks;
--bun:split
DROP TABLE plan_objectives;
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
