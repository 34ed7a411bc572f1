package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/authorworks/authorworks/internal/errs"
)

const fileCols = `id, user_id, book_id, file_name, file_size, mime_type, purpose, status, sha256, etag,
	file_path, storage_provider, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanFile(row scanner) (*File, error) {
	var (
		f    File
		book sql.NullString
	)
	err := row.Scan(&f.ID, &f.OwnerID, &book, &f.Name, &f.Size, &f.MediaType, &f.Purpose, &f.Status, &f.SHA256, &f.ETag,
		&f.Key, &f.Provider, &f.CreatedAt)
	if err != nil {
		return nil, err
	}
	f.StoryID = book.String
	f.CreatedAt = f.CreatedAt.UTC()
	return &f, nil
}

// errFileNotFound is the answer for a file that does not exist or that the caller
// may not know of.
func errFileNotFound() error { return errs.E(errs.NotFound, "file not found") }

// loadFile returns the row of file id in any status.
func loadFile(ctx context.Context, q querier, id string) (*File, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM storage_metadata WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errFileNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("storage: load file %s: %w", id, err)
	}
	return f, nil
}

// loadReady returns file id if it is ready.
func loadReady(ctx context.Context, q querier, id string) (*File, error) {
	f, err := loadFile(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if f.Status != statusReady {
		return nil, errFileNotFound()
	}
	return f, nil
}

func insertPending(ctx context.Context, q querier, f *File) error {
	_, err := q.ExecContext(ctx, `INSERT INTO storage_metadata (id, user_id, book_id, file_path, file_name, file_size,
		mime_type, storage_provider, created_at, purpose, status, sha256, etag)
	VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, 'pending', '', '')`,
		f.ID, f.OwnerID, nullable(f.StoryID), f.Key, f.Name, f.MediaType, f.Provider, f.CreatedAt, string(f.Purpose))
	if err != nil {
		return fmt.Errorf("storage: record upload %s: %w", f.ID, err)
	}
	return nil
}

// markReady turns a pending row ready with what was stored; false when the row
// is no longer pending (Purge took it, or the user account went).
func markReady(ctx context.Context, q querier, f *File) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE storage_metadata SET status = 'ready', file_size = $2, mime_type = $3,
		sha256 = $4, etag = $5 WHERE id = $1 AND status = 'pending'`, f.ID, f.Size, f.MediaType, f.SHA256, f.ETag)
	if err != nil {
		return false, fmt.Errorf("storage: finish upload %s: %w", f.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// markDeleting moves a row from one of the from statuses to deleting, and
// reports whether it did.
func markDeleting(ctx context.Context, q querier, id string, from string) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE storage_metadata SET status = 'deleting' WHERE id = $1 AND status = $2`, id, from)
	if err != nil {
		return false, fmt.Errorf("storage: delete file %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
