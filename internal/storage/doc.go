// Package storage is the Storage service: files that writers upload (covers,
// attachments, manuscripts to import) and files the export service generates,
// with their bytes in a blob.Store (local disk or S3) and their metadata in the
// storage_metadata table, which it owns.
//
// A file's media type is detected from its bytes, never taken from the client,
// and must be on its purpose's allow-list; uploads stream to the store without
// being held in memory and stop as soon as they pass their size limit or the
// owner's quota. Every upload and delete is crash-safe: a row is 'pending' before
// its object is written and 'ready' only after, 'deleting' before its object is
// removed, so a crash leaves a row that Purge uses to finish or undo the work, and
// never an object nobody knows of. Usage counts ready files only, so it stays
// exact after failures and deletes.
//
// A file is readable by its owner, by collaborators of the story it belongs to,
// and, when it is the cover of a published story, by anyone; everyone else is
// told it does not exist. Only the owner deletes it.
package storage
