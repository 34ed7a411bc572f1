-- 0005_storage: what the Storage service needs beyond the spec's storage_metadata.
-- A file may belong to a story (book_id; when the story is purged the file stays
-- with its uploader, so its object is never lost track of); it was uploaded for a
-- purpose (cover, attachment, import) or generated (export); its status makes
-- uploads and deletes crash-safe: a row is 'pending' before its object is written
-- and 'ready' after, 'deleting' before its object is removed; Purge finishes or
-- undoes what a crash interrupted. sha256 and etag identify the content.
ALTER TABLE storage_metadata ADD COLUMN book_id UUID REFERENCES books (id) ON DELETE SET NULL;
ALTER TABLE storage_metadata ADD COLUMN purpose TEXT NOT NULL DEFAULT 'attachment'
    CHECK (purpose IN ('cover', 'attachment', 'import', 'export'));
ALTER TABLE storage_metadata ADD COLUMN status TEXT NOT NULL DEFAULT 'ready'
    CHECK (status IN ('pending', 'ready', 'deleting'));
ALTER TABLE storage_metadata ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE storage_metadata ADD COLUMN etag TEXT NOT NULL DEFAULT '';
CREATE INDEX idx_storage_metadata_book_id ON storage_metadata (book_id);
CREATE INDEX idx_storage_metadata_status ON storage_metadata (status, created_at);
-- One row per object, so deleting a row's object never takes another row's.
CREATE UNIQUE INDEX idx_storage_metadata_file_path ON storage_metadata (file_path);
