-- 0003_fact_versions: facts carry a version like every other editable record, so
-- two people changing one fact at once get a conflict instead of a lost update.
ALTER TABLE story_facts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
