-- 0006_exports: exports become durable jobs. Each row says who asked, in which
-- format and with which options, the fingerprint of the story's text it was made
-- from (so an identical request reuses a fresh result), its progress and outcome,
-- and the stored file it produced. SQLite cannot change a CHECK constraint, so the
-- table is rebuilt.
CREATE TABLE exports_new (
    id           TEXT NOT NULL PRIMARY KEY,
    book_id      TEXT NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    export_type  TEXT NOT NULL
                 CHECK (export_type IN ('pdf', 'pdf_reading', 'epub', 'docx', 'fountain', 'fdx', 'screenplay_pdf',
                                        'play_pdf', 'markdown', 'html', 'txt')),
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    file_url     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    options      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
    fingerprint  TEXT NOT NULL DEFAULT '',
    progress     INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    error        TEXT NOT NULL DEFAULT '',
    file_id      TEXT REFERENCES storage_metadata (id) ON DELETE SET NULL,
    file_size    INTEGER NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    job_id       INTEGER,
    started_at   TIMESTAMP
);
INSERT INTO exports_new (id, book_id, export_type, status, file_url, created_at, completed_at)
    SELECT id, book_id, export_type, status, file_url, created_at, completed_at FROM exports;
DROP TABLE exports;
ALTER TABLE exports_new RENAME TO exports;
CREATE INDEX idx_exports_book_id ON exports (book_id);
CREATE INDEX idx_exports_user_id ON exports (user_id);
CREATE INDEX idx_exports_file_id ON exports (file_id);
CREATE INDEX idx_exports_reuse ON exports (book_id, export_type, fingerprint);
