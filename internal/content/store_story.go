package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authorworks/authorworks/internal/errs"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const storyCols = `b.id, b.user_id, b.title, b.subtitle, b.genre, b.content_type, b.description, b.cover_file_id,
	b.status, b.visibility, b.word_count, b.synopsis, b.style_guide, b.metadata, b.settings, b.version,
	b.created_at, b.updated_at, b.published_at, b.deleted_at`

func scanStory(row interface{ Scan(...any) error }, extra ...any) (*Story, error) {
	var (
		s                  Story
		cover              sql.NullString
		meta, settings     []byte
		published, deleted sql.NullTime
	)
	dest := append([]any{&s.ID, &s.OwnerID, &s.Title, &s.Subtitle, &s.Genre, &s.ContentType, &s.Description, &cover,
		&s.Status, &s.Visibility, &s.WordCount, &s.Synopsis, &s.StyleGuide, &meta, &settings, &s.Version,
		&s.CreatedAt, &s.UpdatedAt, &published, &deleted}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	s.CoverFileID = cover.String
	s.Metadata, s.Settings = json.RawMessage(meta), json.RawMessage(settings)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	if published.Valid {
		t := published.Time.UTC()
		s.PublishedAt = &t
	}
	if deleted.Valid {
		t := deleted.Time.UTC()
		s.DeletedAt = &t
	}
	return &s, nil
}

// nullable turns "" into SQL NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// storyFor loads a story with the caller's role on it. userID may be empty
// (anonymous). Deleted stories exist only for their owners.
func storyFor(ctx context.Context, q querier, id, userID string) (*Story, Role, error) {
	var collab sql.NullString
	s, err := scanStory(q.QueryRowContext(ctx, `SELECT `+storyCols+`, c.role
	FROM books b LEFT JOIN collaborations c ON c.book_id = b.id AND c.user_id = $2
	WHERE b.id = $1`, id, nullable(userID)), &collab)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, RoleNone, errNotFound()
	}
	if err != nil {
		return nil, RoleNone, fmt.Errorf("content: load story: %w", err)
	}
	role := parseCollabRole(collab.String)
	if role == RoleNone && s.Published() {
		role = RoleReader
	}
	if s.DeletedAt != nil && role != RoleOwner {
		role = RoleNone
	}
	return s, role, nil
}

func insertStory(ctx context.Context, q querier, s *Story) error {
	_, err := q.ExecContext(ctx, `INSERT INTO books (id, user_id, title, subtitle, genre, content_type, description,
		cover_file_id, status, visibility, word_count, synopsis, style_guide, metadata, settings, version, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, 1, $15, $15)`,
		s.ID, s.OwnerID, s.Title, s.Subtitle, s.Genre, s.ContentType, s.Description, nullable(s.CoverFileID),
		s.Status, s.Visibility, s.Synopsis, s.StyleGuide, string(s.Metadata), string(s.Settings), s.CreatedAt)
	if err != nil {
		return fmt.Errorf("content: insert story: %w", err)
	}
	return nil
}

// updateStory writes s if its stored version is still expected, and bumps it.
func updateStory(ctx context.Context, q querier, s *Story, expected int) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE books SET title = $1, subtitle = $2, genre = $3, content_type = $4,
		description = $5, cover_file_id = $6, status = $7, visibility = $8, synopsis = $9, style_guide = $10,
		metadata = $11, settings = $12, published_at = $13, deleted_at = $14, updated_at = $15, version = version + 1
	WHERE id = $16 AND version = $17`,
		s.Title, s.Subtitle, s.Genre, s.ContentType, s.Description, nullable(s.CoverFileID), s.Status, s.Visibility,
		s.Synopsis, s.StyleGuide, string(s.Metadata), string(s.Settings), s.PublishedAt, s.DeletedAt, s.UpdatedAt,
		s.ID, expected)
	if err != nil {
		return false, fmt.Errorf("content: update story: %w", err)
	}
	n, err := res.RowsAffected()
	if n == 1 {
		s.Version = expected + 1
	}
	return n == 1, err
}

func insertCollaborator(ctx context.Context, q querier, id, storyID, userID, role, invitedBy string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO collaborations (id, book_id, user_id, role, created_at, invited_by)
	VALUES ($1, $2, $3, $4, $5, $6)`, id, storyID, userID, role, now, nullable(invitedBy))
	if err != nil {
		return fmt.Errorf("content: add collaborator: %w", err)
	}
	return nil
}

// StoryFilter selects and orders a list of stories.
type StoryFilter struct {
	Status      string
	ContentType string
	Genre       string
	Query       string // part of the title
	Sort        string // updated_at, -updated_at (default), created_at, -created_at, title, -title
	Trash       bool   // the caller's deleted stories instead of the live ones
	Cursor      string
	Limit       int
}

var sortColumns = map[string]string{
	"updated_at": "b.updated_at", "created_at": "b.created_at", "title": "lower(b.title)",
}

func storyNotLive(s *Story) error {
	if s.DeletedAt != nil {
		return errs.E(errs.Conflict, "the story is in the trash; restore it first")
	}
	return nil
}
