-- 0002_content (PostgreSQL): what the Content service needs beyond the spec's columns:
-- story bible, trash, derived plain text, scene cards, version kinds, the outbox.

ALTER TABLE books ADD COLUMN synopsis TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN style_guide TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN cover_file_id UUID REFERENCES storage_metadata (id) ON DELETE SET NULL;
ALTER TABLE books ADD COLUMN deleted_at TIMESTAMPTZ; -- in the trash since; NULL when live
CREATE INDEX idx_books_cover_file_id ON books (cover_file_id);
CREATE INDEX idx_books_deleted_at ON books (deleted_at);

ALTER TABLE chapters ADD COLUMN plain_text TEXT NOT NULL DEFAULT '';
ALTER TABLE chapters ADD COLUMN synopsis TEXT NOT NULL DEFAULT '';

ALTER TABLE scenes ADD COLUMN plain_text TEXT NOT NULL DEFAULT '';
ALTER TABLE scenes ADD COLUMN pov_character_id UUID REFERENCES characters (id) ON DELETE SET NULL;
ALTER TABLE scenes ADD COLUMN card JSONB NOT NULL DEFAULT '{}'; -- goal, beats, target_words
CREATE INDEX idx_scenes_pov_character_id ON scenes (pov_character_id);

ALTER TABLE characters ADD COLUMN aliases JSONB NOT NULL DEFAULT '[]';

CREATE TABLE character_relationships (
    id                UUID PRIMARY KEY,
    book_id           UUID NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    from_character_id UUID NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    to_character_id   UUID NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (from_character_id, to_character_id, kind),
    CHECK (from_character_id <> to_character_id)
);
CREATE INDEX idx_character_relationships_book_id ON character_relationships (book_id);
CREATE INDEX idx_character_relationships_to_character_id ON character_relationships (to_character_id);

CREATE TABLE world_entries (
    id          UUID PRIMARY KEY,
    book_id     UUID NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL DEFAULT 'other'
                CHECK (kind IN ('location', 'object', 'lore', 'faction', 'event', 'creature', 'other')),
    name        TEXT NOT NULL,
    aliases     JSONB NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    details     JSONB NOT NULL DEFAULT '{}',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_world_entries_book_id ON world_entries (book_id);

-- Facts that hold from one chapter (and optionally until another) about a character
-- or a world entry: "as of chapter 12, Mara has lost her left hand".
CREATE TABLE story_facts (
    id            UUID PRIMARY KEY,
    book_id       UUID NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    character_id  UUID REFERENCES characters (id) ON DELETE CASCADE,
    entry_id      UUID REFERENCES world_entries (id) ON DELETE CASCADE,
    fact          TEXT NOT NULL,
    from_chapter  INTEGER CHECK (from_chapter >= 1),
    until_chapter INTEGER CHECK (until_chapter >= 1),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK ((character_id IS NULL) <> (entry_id IS NULL))
);
CREATE INDEX idx_story_facts_book_id ON story_facts (book_id);
CREATE INDEX idx_story_facts_character_id ON story_facts (character_id);
CREATE INDEX idx_story_facts_entry_id ON story_facts (entry_id);

ALTER TABLE version_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'save'
    CHECK (kind IN ('save', 'restore', 'import'));
ALTER TABLE version_history ADD COLUMN word_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE version_history ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE version_history ADD COLUMN updated_at TIMESTAMPTZ; -- set when rapid saves were folded in

ALTER TABLE collaborations ADD COLUMN invited_by UUID REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX idx_collaborations_invited_by ON collaborations (invited_by);
CREATE INDEX idx_collaborations_user_id_role ON collaborations (user_id, role);

-- Domain events, written in the same transaction as the change they describe and
-- delivered later (at least once) by the messaging service.
CREATE TABLE outbox_events (
    id           UUID PRIMARY KEY,
    topic        TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    actor_id     UUID REFERENCES users (id) ON DELETE SET NULL,
    payload      JSONB NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX idx_outbox_events_actor_id ON outbox_events (actor_id);
CREATE INDEX idx_outbox_events_unpublished ON outbox_events (created_at) WHERE published_at IS NULL;
