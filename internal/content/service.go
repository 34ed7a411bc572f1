package content

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// FileOwner tells whether a stored file belongs to a user, for cover images.
type FileOwner interface {
	OwnsFile(ctx context.Context, userID, fileID string) (bool, error)
}

// UserDirectory finds accounts, to invite collaborators and name them.
type UserDirectory interface {
	// FindUserID returns the id of the active account with this username or email,
	// or a NotFound error.
	FindUserID(ctx context.Context, login string) (string, error)
	// Names returns the public names of the accounts with these ids.
	Names(ctx context.Context, ids []string) (map[string]UserName, error)
}

// UserName is how an account is shown to collaborators.
type UserName struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// Config holds the Service's dependencies.
type Config struct {
	DB    *sqldb.DB
	Files FileOwner
	Users UserDirectory
	// TrashGrace is how long a deleted story can be restored (default 30 days).
	TrashGrace time.Duration
	Now        func() time.Time
	Log        *slog.Logger
}

// Service implements the Content service.
type Service struct {
	db         *sqldb.DB
	files      FileOwner
	users      UserDirectory
	trashGrace time.Duration
	now        func() time.Time
	log        *slog.Logger
}

// NewService returns a Service.
func NewService(c Config) *Service {
	s := &Service{db: c.DB, files: c.Files, users: c.Users, trashGrace: c.TrashGrace, now: c.Now, log: c.Log}
	if s.trashGrace == 0 {
		s.trashGrace = 30 * 24 * time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func userOf(p *auth.Principal) string {
	if p == nil {
		return ""
	}
	return p.UserID
}

// versionConflict is the 409 for a stale update, carrying the current state.
func versionConflict(what string, current any) error {
	return &errs.Error{Kind: errs.Conflict, Code: "VERSION_CONFLICT", Current: current,
		Message: what + " was changed since you read it; the current version is in data"}
}

// CreateStory starts a story owned by the caller.
func (s *Service) CreateStory(ctx context.Context, p auth.Principal, in StoryInput) (*Story, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new story has no version")
	}
	st := &Story{ID: uuid.NewString(), OwnerID: p.UserID, ContentType: "novel", Status: "draft", Visibility: "private",
		Metadata: json.RawMessage("{}"), Settings: json.RawMessage("{}"), Version: 1}
	if in.Status != nil && *in.Status == "published" {
		return nil, errs.Field("status", "a new story cannot be published yet; create it, then publish it")
	}
	coverChanged, err := in.apply(st)
	if err != nil {
		return nil, err
	}
	if coverChanged && st.CoverFileID != "" {
		if err := s.checkCover(ctx, p.UserID, st.CoverFileID); err != nil {
			return nil, err
		}
	}
	now := s.nowUTC()
	st.CreatedAt, st.UpdatedAt = now, now
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := insertStory(ctx, tx, st); err != nil {
			return err
		}
		if err := insertCollaborator(ctx, tx, uuid.NewString(), st.ID, p.UserID, "owner", "", now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.created", AggregateID: st.ID, ActorID: p.UserID,
			Payload: map[string]any{"title": st.Title, "content_type": st.ContentType}})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

func (s *Service) checkCover(ctx context.Context, userID, fileID string) error {
	if s.files == nil {
		return errs.Field("cover_file_id", "file storage is not available")
	}
	ok, err := s.files.OwnsFile(ctx, userID, fileID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Field("cover_file_id", "cover_file_id is not one of your uploaded files")
	}
	return nil
}

// Story returns a story and the caller's role on it; p is nil for anonymous callers.
func (s *Service) Story(ctx context.Context, p *auth.Principal, id string) (*Story, Role, error) {
	st, role, err := storyFor(ctx, s.db, id, userOf(p))
	if err != nil {
		return nil, RoleNone, err
	}
	if err := need(role, RoleReader, "read it"); err != nil {
		return nil, RoleNone, err
	}
	return st, role, nil
}

// UpdateStory changes a story's fields. Editors change what is written about it;
// only owners change its visibility. in.Version (or ifMatch) must be current.
func (s *Service) UpdateStory(ctx context.Context, p auth.Principal, id string, in StoryInput, ifMatch int) (*Story, Role, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, RoleNone, err
	}
	var (
		out  *Story
		role Role
	)
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, r, err := storyFor(ctx, tx, id, p.UserID)
		if err != nil {
			return err
		}
		role = r
		if err := need(role, RoleEditor, "change it"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		if in.Visibility != nil && *in.Visibility != st.Visibility {
			if err := need(role, RoleOwner, "change its visibility"); err != nil {
				return err
			}
		}
		if st.Version != expected {
			return versionConflict("the story", st.View(role))
		}
		coverChanged, err := in.apply(st)
		if err != nil {
			return err
		}
		if coverChanged && st.CoverFileID != "" {
			if err := s.checkCover(ctx, p.UserID, st.CoverFileID); err != nil {
				return err
			}
		}
		st.UpdatedAt = s.nowUTC()
		ok, err := updateStory(ctx, tx, st, expected)
		if err != nil {
			return err
		}
		if !ok {
			cur, _, _ := storyFor(ctx, tx, id, p.UserID)
			return versionConflict("the story", cur.View(role))
		}
		out = st
		return outbox.Record(ctx, tx, st.UpdatedAt, outbox.Event{Topic: "story.updated", AggregateID: st.ID, ActorID: p.UserID,
			Payload: map[string]any{"version": st.Version}})
	})
	return out, role, err
}

// expectedVersion reconciles the body's version with If-Match; one is required.
func expectedVersion(body *int, ifMatch int) (int, error) {
	switch {
	case body != nil && *body < 1:
		return 0, errs.Field("version", "version must be the positive version you read")
	case body != nil && ifMatch != 0 && *body != ifMatch:
		return 0, errs.Field("version", "version %d disagrees with If-Match %d", *body, ifMatch)
	case body != nil:
		return *body, nil
	case ifMatch != 0:
		return ifMatch, nil
	}
	return 0, errs.Field("version", "version is required: send the version you read (or If-Match), so no one's changes are overwritten")
}

// SetPublished publishes or unpublishes a story (owners only). Publishing makes a
// public or unlisted story readable by anyone; a private one stays private until its
// visibility changes.
func (s *Service) SetPublished(ctx context.Context, p auth.Principal, id string, publish bool) (*Story, error) {
	var out *Story
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, id, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleOwner, "publish or unpublish it"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		now := s.nowUTC()
		topic := "story.published"
		switch {
		case publish && st.Status == "published", !publish && st.Status != "published":
			out = st // already so
			return nil
		case publish:
			st.Status, st.PublishedAt = "published", &now
		default:
			st.Status, topic = "completed", "story.unpublished"
		}
		st.UpdatedAt = now
		ok, err := updateStory(ctx, tx, st, st.Version)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Conflict, "the story changed at the same time; try again")
		}
		out = st
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: topic, AggregateID: st.ID, ActorID: p.UserID,
			Payload: map[string]any{"visibility": st.Visibility}})
	})
	return out, err
}

// DeleteStory moves a story to the trash. The owner confirms by repeating its
// title; it can be restored for the grace period, then it is purged.
func (s *Service) DeleteStory(ctx context.Context, p auth.Principal, id, confirmTitle string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, id, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleOwner, "delete it"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		if strings.TrimSpace(confirmTitle) != st.Title {
			return errs.Field("confirm", "to delete this story, send its exact title as confirm")
		}
		now := s.nowUTC()
		st.DeletedAt, st.UpdatedAt = &now, now
		if ok, err := updateStory(ctx, tx, st, st.Version); err != nil || !ok {
			if err == nil {
				err = errs.E(errs.Conflict, "the story changed at the same time; try again")
			}
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.deleted", AggregateID: st.ID, ActorID: p.UserID,
			Payload: map[string]any{"purge_after": now.Add(s.trashGrace)}})
	})
}

// RestoreStory takes a story out of the trash.
func (s *Service) RestoreStory(ctx context.Context, p auth.Principal, id string) (*Story, error) {
	var out *Story
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, id, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleOwner, "restore it"); err != nil {
			return err
		}
		if st.DeletedAt == nil {
			return errs.E(errs.Conflict, "the story is not in the trash")
		}
		now := s.nowUTC()
		st.DeletedAt, st.UpdatedAt = nil, now
		if ok, err := updateStory(ctx, tx, st, st.Version); err != nil || !ok {
			if err == nil {
				err = errs.E(errs.Conflict, "the story changed at the same time; try again")
			}
			return err
		}
		out = st
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.restored", AggregateID: st.ID, ActorID: p.UserID})
	})
	return out, err
}

// PurgeTrash deletes, with everything in them, stories that have been in the trash
// longer than the grace period. It returns how many it purged.
func (s *Service) PurgeTrash(ctx context.Context) (int, error) {
	cutoff := s.nowUTC().Add(-s.trashGrace)
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM books WHERE deleted_at IS NOT NULL AND deleted_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("content: find trash to purge: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM books WHERE id = $1 AND deleted_at IS NOT NULL AND deleted_at < $2`, id, cutoff)
			if err != nil {
				return fmt.Errorf("content: purge story %s: %w", id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // restored meanwhile
			}
			return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "story.purged", AggregateID: id})
		})
		if err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// StoryPage is a page of stories.
type StoryPage struct {
	Items      []StoryView `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// ListStories pages through the stories the caller collaborates on.
func (s *Service) ListStories(ctx context.Context, p auth.Principal, f StoryFilter) (*StoryPage, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	desc := true
	key := strings.TrimSpace(f.Sort)
	if key == "" {
		key = "-updated_at"
	}
	if strings.HasPrefix(key, "-") {
		key = key[1:]
	} else {
		desc = false
	}
	col, ok := sortColumns[key]
	if !ok {
		return nil, errs.Field("sort", "sort must be one of updated_at, created_at, title, each optionally prefixed with - for descending")
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := []string{"c.user_id = " + arg(p.UserID)}
	if f.Trash {
		where = append(where, "b.deleted_at IS NOT NULL", "c.role = 'owner'")
	} else {
		where = append(where, "b.deleted_at IS NULL")
	}
	if f.Status != "" {
		if err := oneOf("status", f.Status, Statuses); err != nil {
			return nil, err
		}
		where = append(where, "b.status = "+arg(f.Status))
	}
	if f.ContentType != "" {
		if err := oneOf("content_type", f.ContentType, ContentTypes); err != nil {
			return nil, err
		}
		where = append(where, "b.content_type = "+arg(f.ContentType))
	}
	if f.Genre != "" {
		where = append(where, "lower(b.genre) = lower("+arg(f.Genre)+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if len(q) > maxTitle {
			return nil, errs.Field("q", "q is longer than %d characters", maxTitle)
		}
		pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		where = append(where, "lower(b.title) LIKE "+arg(pat)+` ESCAPE '\'`)
	}
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if f.Cursor != "" {
		val, id, err := decodeStoryCursor(f.Cursor, key)
		if err != nil {
			return nil, err
		}
		v, i := arg(val), arg(id)
		where = append(where, fmt.Sprintf("(%s %s %s OR (%s = %s AND b.id %s %s))", col, op, v, col, v, op, i))
	}
	query := `SELECT ` + storyCols + `, c.role FROM books b JOIN collaborations c ON c.book_id = b.id
	WHERE ` + strings.Join(where, " AND ") + fmt.Sprintf(" ORDER BY %s %s, b.id %s LIMIT %s", col, dir, dir, arg(f.Limit+1))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("content: list stories: %w", err)
	}
	defer rows.Close()
	page := &StoryPage{Items: []StoryView{}}
	var last *Story
	for rows.Next() {
		var r string
		st, err := scanStory(rows, &r)
		if err != nil {
			return nil, err
		}
		if len(page.Items) == f.Limit {
			c := encodeStoryCursor(last, key)
			page.NextCursor = &c
			break
		}
		page.Items = append(page.Items, st.View(parseCollabRole(r)).(StoryView))
		last = st
	}
	return page, rows.Err()
}

func encodeStoryCursor(s *Story, key string) string {
	var v string
	switch key {
	case "title":
		v = strings.ToLower(s.Title)
	case "created_at":
		v = s.CreatedAt.Format(time.RFC3339Nano)
	default:
		v = s.UpdatedAt.Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal([]string{key, v, s.ID}) //nolint:errchkjson // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeStoryCursor(c, key string) (any, string, error) {
	bad := errs.Field("cursor", "cursor does not belong to this list (it must come from the same sort)")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, "", bad
	}
	var parts []string
	if json.Unmarshal(raw, &parts) != nil || len(parts) != 3 || parts[0] != key {
		return nil, "", bad
	}
	if _, err := uuid.Parse(parts[2]); err != nil {
		return nil, "", bad
	}
	if key == "title" {
		return parts[1], parts[2], nil
	}
	t, err := time.Parse(time.RFC3339Nano, parts[1])
	if err != nil {
		return nil, "", bad
	}
	return t.UTC(), parts[2], nil
}
