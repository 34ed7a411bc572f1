package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/authorworks/authorworks/internal/errs"
)

// Access to files follows the Content service's rules for stories, read straight
// from its books and collaborations tables (storage only reads them): a
// collaborator's role counts while the story is live, and its owner's also while
// it is in the trash; a story is public when published and not private.

// checkAttach checks that userID may attach files to story: an owner or editor of
// a live story. Others learn nothing of a story they cannot see.
func checkAttach(ctx context.Context, q querier, storyID, userID string) error {
	var (
		role    string
		trashed bool
	)
	err := q.QueryRowContext(ctx, `SELECT c.role, b.deleted_at IS NOT NULL
		FROM books b JOIN collaborations c ON c.book_id = b.id AND c.user_id = $2
		WHERE b.id = $1`, storyID, userID).Scan(&role, &trashed)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && trashed && role != "owner":
		return &errs.Error{Kind: errs.NotFound, Field: "story_id", Message: "story not found"}
	case err != nil:
		return fmt.Errorf("storage: role on story %s: %w", storyID, err)
	case trashed:
		return errs.E(errs.Conflict, "the story is in the trash; restore it before adding files to it")
	case role != "owner" && role != "editor":
		return errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to add files to it", role)
	}
	return nil
}

// readAccess tells whether userID ("" for an anonymous caller) may read f, and
// whether anyone may (f is the cover of a published story).
func readAccess(ctx context.Context, q querier, f *File, userID string) (ok, public bool, err error) {
	var collab, cover int
	err = q.QueryRowContext(ctx, `SELECT
		COALESCE(MAX(CASE WHEN c.role IS NOT NULL AND (b.deleted_at IS NULL OR c.role = 'owner') THEN 1 ELSE 0 END), 0),
		COALESCE(MAX(CASE WHEN b.cover_file_id = $1 AND b.status = 'published' AND b.visibility <> 'private'
			AND b.deleted_at IS NULL THEN 1 ELSE 0 END), 0)
	FROM books b LEFT JOIN collaborations c ON c.book_id = b.id AND c.user_id = $2
	WHERE b.id = $3 OR b.cover_file_id = $1`, f.ID, nullable(userID), nullable(f.StoryID)).Scan(&collab, &cover)
	if err != nil {
		return false, false, fmt.Errorf("storage: access to file %s: %w", f.ID, err)
	}
	public = cover == 1 && f.Purpose == PurposeCover
	return public || collab == 1 || (userID != "" && userID == f.OwnerID), public, nil
}
