-- 0004_generation: the AI engine. Generation history gains what a writer and an
-- operator need to know of each call (mode, provider, prompt manifest, cache
-- tokens, cost, upstream request id, outcome); monthly usage per user backs the
-- quotas; summaries feed context assembly; pipeline runs and their steps make the
-- long-form pipeline resumable.
CREATE TABLE pipeline_runs (
    id                 TEXT NOT NULL PRIMARY KEY,
    book_id            TEXT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status             TEXT NOT NULL
                       CHECK (status IN ('queued', 'running', 'paused', 'cancelled', 'completed', 'failed')),
    options            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
    step               TEXT NOT NULL DEFAULT '',
    done_steps         INTEGER NOT NULL DEFAULT 0 CHECK (done_steps >= 0),
    total_steps        INTEGER NOT NULL DEFAULT 0 CHECK (total_steps >= 0),
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_micros        INTEGER NOT NULL DEFAULT 0,
    job_id             INTEGER,
    error              TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP
);
CREATE INDEX idx_pipeline_runs_book_id ON pipeline_runs (book_id);
CREATE INDEX idx_pipeline_runs_user_id ON pipeline_runs (user_id);

ALTER TABLE generation_history ADD COLUMN mode TEXT NOT NULL DEFAULT '';
ALTER TABLE generation_history ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE generation_history ADD COLUMN status TEXT NOT NULL DEFAULT 'completed'
    CHECK (status IN ('running', 'completed', 'partial', 'failed'));
ALTER TABLE generation_history ADD COLUMN manifest TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(manifest));
ALTER TABLE generation_history ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cache_read_tokens >= 0);
ALTER TABLE generation_history ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cache_write_tokens >= 0);
ALTER TABLE generation_history ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0);
ALTER TABLE generation_history ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE generation_history ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE generation_history ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE generation_history ADD COLUMN pipeline_id TEXT REFERENCES pipeline_runs (id) ON DELETE SET NULL;
-- Tokens of the user's allowance held while the call runs; released when it ends.
ALTER TABLE generation_history ADD COLUMN reserved_tokens INTEGER NOT NULL DEFAULT 0 CHECK (reserved_tokens >= 0);
ALTER TABLE generation_history ADD COLUMN accepted_at TIMESTAMP;
CREATE INDEX idx_generation_history_pipeline_id ON generation_history (pipeline_id);
CREATE INDEX idx_generation_history_user_created ON generation_history (user_id, created_at);
CREATE INDEX idx_generation_history_status ON generation_history (status, created_at);

CREATE TABLE pipeline_steps (
    run_id        TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    step_key      TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    output        TEXT NOT NULL DEFAULT '',
    generation_id TEXT REFERENCES generation_history (id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, step_key)
);
CREATE INDEX idx_pipeline_steps_generation_id ON pipeline_steps (generation_id);

-- One row per user and calendar month (UTC): tokens charged, tokens held by calls
-- in flight, and their cost in millionths of a dollar.
CREATE TABLE ai_usage (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period      TEXT NOT NULL,
    tokens      INTEGER NOT NULL DEFAULT 0 CHECK (tokens >= 0),
    reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
    PRIMARY KEY (user_id, period)
);

-- The summary of one chapter or one scene, and the version of the text it sums up.
CREATE TABLE story_summaries (
    id             TEXT NOT NULL PRIMARY KEY,
    book_id        TEXT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    chapter_id     TEXT REFERENCES chapters (id) ON DELETE CASCADE,
    scene_id       TEXT REFERENCES scenes (id) ON DELETE CASCADE,
    summary        TEXT NOT NULL,
    source_version INTEGER NOT NULL,
    generation_id  TEXT REFERENCES generation_history (id) ON DELETE SET NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK ((chapter_id IS NULL) <> (scene_id IS NULL))
);
CREATE INDEX idx_story_summaries_book_id ON story_summaries (book_id);
CREATE UNIQUE INDEX idx_story_summaries_chapter_id ON story_summaries (chapter_id);
CREATE UNIQUE INDEX idx_story_summaries_scene_id ON story_summaries (scene_id);
CREATE INDEX idx_story_summaries_generation_id ON story_summaries (generation_id);
