package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
)

// Delete deletes file id; only its owner may. A collaborator who can see the file
// is told 403, anyone else 404. The file leaves the owner's usage at once (its row
// turns 'deleting'); then its object is removed, then its row, which also clears
// it as a story's cover. Should the store fail in between, the file stays
// invisible and uncounted, and Purge finishes the job.
func (s *Service) Delete(ctx context.Context, p auth.Principal, id string) error {
	f, err := loadReady(ctx, s.db, id)
	if err != nil {
		return err
	}
	if f.OwnerID != p.UserID {
		ok, _, err := readAccess(ctx, s.db, f, p.UserID)
		if err != nil {
			return err
		}
		if ok {
			return errs.E(errs.Forbidden, "only the file's uploader can delete it")
		}
		return errFileNotFound()
	}
	marked, err := markDeleting(ctx, s.db, id, statusReady)
	if err != nil {
		return err
	}
	if !marked {
		return errFileNotFound() // deleted meanwhile
	}
	s.finishDelete(ctx, f)
	return nil
}

// Remove deletes file id whoever owns it, for services that manage the files
// they create (the export service deleting an export). A file that is already
// gone is not an error.
func (s *Service) Remove(ctx context.Context, id string) error {
	f, err := loadReady(ctx, s.db, id)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := markDeleting(ctx, s.db, id, statusReady); err != nil {
		return err
	}
	s.finishDelete(ctx, f)
	return nil
}

// finishDelete removes the object of a row in status deleting, then the row. A
// failure is logged and left for Purge: the row keeps the object found.
func (s *Service) finishDelete(ctx context.Context, f *File) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.store.Delete(ctx, f.Key); err != nil {
		s.log.Warn("storage: could not delete an object; purge will retry", "file_id", f.ID, "key", f.Key, "err", err)
		return false
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM storage_metadata WHERE id = $1 AND status = 'deleting'`, f.ID); err != nil {
		s.log.Warn("storage: could not delete a file's row; purge will retry", "file_id", f.ID, "err", err)
		return false
	}
	return true
}

// purgeBatch caps how many files one Purge call looks at.
const purgeBatch = 500

// Purge removes what failures and crashes left behind: uploads pending for longer
// than Config.PendingTTL (the process died mid-upload), deletes that did not
// finish, and exports whose story was purged. It returns how many files it
// removed. Run it periodically, as the other housekeeping is.
func (s *Service) Purge(ctx context.Context) (int, error) {
	cutoff := s.nowUTC().Add(-s.pendingTTL)
	rows, err := s.db.QueryContext(ctx, `SELECT `+fileCols+` FROM storage_metadata
		WHERE (status = 'pending' AND created_at < $1) OR status = 'deleting'
			OR (purpose = 'export' AND book_id IS NULL AND status = 'ready')
		ORDER BY created_at LIMIT `+fmt.Sprint(purgeBatch), cutoff)
	if err != nil {
		return 0, fmt.Errorf("storage: find files to purge: %w", err)
	}
	var files []*File
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("storage: find files to purge: %w", err)
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("storage: find files to purge: %w", err)
	}
	n := 0
	for _, f := range files {
		if f.Status != statusDeleting {
			// Claim it; an upload finishing or a delete starting right now wins.
			ok, err := markDeleting(ctx, s.db, f.ID, f.Status)
			if err != nil {
				return n, err
			}
			if !ok {
				continue
			}
		}
		if s.finishDelete(ctx, f) {
			n++
		}
	}
	return n, nil
}

// OwnsFile reports whether fileID is a cover image that userID uploaded and that
// is ready: the content service asks before it makes a file a story's cover,
// which may make it public once the story is published. It implements
// content.FileOwner.
func (s *Service) OwnsFile(ctx context.Context, userID, fileID string) (bool, error) {
	f, err := loadReady(ctx, s.db, fileID)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return f.OwnerID == userID && f.Purpose == PurposeCover, nil
}
