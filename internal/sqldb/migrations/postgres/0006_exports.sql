-- 0006_exports: exports become durable jobs. Each row says who asked, in which
-- format and with which options, the fingerprint of the story's text it was made
-- from (so an identical request reuses a fresh result), its progress and outcome,
-- and the stored file it produced.
ALTER TABLE exports DROP CONSTRAINT exports_export_type_check;
ALTER TABLE exports ADD CONSTRAINT exports_export_type_check CHECK (export_type IN
    ('pdf', 'pdf_reading', 'epub', 'docx', 'fountain', 'fdx', 'screenplay_pdf', 'play_pdf', 'markdown', 'html', 'txt'));
ALTER TABLE exports ADD COLUMN user_id UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE exports ADD COLUMN options JSONB NOT NULL DEFAULT '{}';
ALTER TABLE exports ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE exports ADD COLUMN progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100);
ALTER TABLE exports ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE exports ADD COLUMN file_id UUID REFERENCES storage_metadata (id) ON DELETE SET NULL;
ALTER TABLE exports ADD COLUMN file_size BIGINT NOT NULL DEFAULT 0 CHECK (file_size >= 0);
ALTER TABLE exports ADD COLUMN job_id BIGINT;
ALTER TABLE exports ADD COLUMN started_at TIMESTAMPTZ;
CREATE INDEX idx_exports_user_id ON exports (user_id);
CREATE INDEX idx_exports_file_id ON exports (file_id);
CREATE INDEX idx_exports_reuse ON exports (book_id, export_type, fingerprint);
