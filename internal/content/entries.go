package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

// Entry is a world entry of a story's bible: a place, an object, a piece of lore,
// a faction, an event, a creature or anything else the story needs to keep straight.
type Entry struct {
	ID          string          `json:"id"`
	StoryID     string          `json:"story_id"`
	Kind        string          `json:"kind"`
	Name        string          `json:"name"`
	Aliases     []string        `json:"aliases"`
	Description string          `json:"description"`
	Details     json.RawMessage `json:"details"`
	Version     int             `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// EntryInput is a new world entry or a change to one; nil fields are absent.
type EntryInput struct {
	Version     *int             `json:"version"`
	Kind        *string          `json:"kind"`
	Name        *string          `json:"name"`
	Aliases     *[]string        `json:"aliases"`
	Description *string          `json:"description"`
	Details     *json.RawMessage `json:"details"`
}

// apply copies the present fields of in, but the version, onto e.
func (in *EntryInput) apply(e *Entry) error {
	var err error
	if in.Kind != nil {
		if err := oneOf("kind", *in.Kind, EntryKinds); err != nil {
			return err
		}
		e.Kind = *in.Kind
	}
	if in.Name != nil {
		if e.Name, err = cleanText("name", *in.Name, maxName, false); err != nil {
			return err
		}
	}
	if e.Name == "" {
		return errs.Field("name", "name is required")
	}
	if in.Description != nil {
		if e.Description, err = cleanText("description", *in.Description, maxLongText, true); err != nil {
			return err
		}
	}
	if in.Details != nil {
		if e.Details, err = jsonObject("details", *in.Details); err != nil {
			return err
		}
	}
	if in.Aliases != nil {
		if e.Aliases, err = cleanAliases(*in.Aliases); err != nil {
			return err
		}
	}
	return aliasesBesideName(e.Name, e.Aliases, in.Aliases != nil)
}

const entryCols = `id, book_id, kind, name, aliases, description, details, version, created_at, updated_at`

func scanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var (
		e                Entry
		aliases, details []byte
	)
	if err := row.Scan(&e.ID, &e.StoryID, &e.Kind, &e.Name, &aliases, &e.Description, &details,
		&e.Version, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return nil, err
	}
	a, err := unmarshalAliases(aliases, "entry", e.ID)
	if err != nil {
		return nil, err
	}
	e.Aliases, e.Details = a, json.RawMessage(details)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

func getEntry(ctx context.Context, q querier, id string) (*Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryCols+` FROM world_entries WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "entry not found")
	}
	if err != nil {
		return nil, fmt.Errorf("content: load entry %s: %w", id, err)
	}
	return e, nil
}

// listEntries returns a story's world entries of one kind ("" for all), in the
// order they were created.
func listEntries(ctx context.Context, q querier, storyID, kind string) ([]Entry, error) {
	query, args := `SELECT `+entryCols+` FROM world_entries WHERE book_id = $1`, []any{storyID}
	if kind != "" {
		query, args = query+` AND kind = $2`, append(args, kind)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("content: list entries: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// writableEntry loads an entry the caller may change, takes its story's lock and
// returns the entry as it is under that lock.
func (s *Service) writableEntry(ctx context.Context, tx *sql.Tx, p auth.Principal, id string) (*Entry, error) {
	e, err := getEntry(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.writableStory(ctx, tx, e.StoryID, p.UserID, "entry"); err != nil {
		return nil, err
	}
	return getEntry(ctx, tx, id)
}

// CreateEntry adds a world entry to a story's bible.
func (s *Service) CreateEntry(ctx context.Context, p auth.Principal, storyID string, in EntryInput) (*Entry, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new entry has no version")
	}
	e := &Entry{ID: uuid.NewString(), StoryID: storyID, Kind: "other", Aliases: []string{},
		Details: json.RawMessage("{}"), Version: 1}
	if err := in.apply(e); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writableStory(ctx, tx, storyID, p.UserID, "story"); err != nil {
			return err
		}
		if err := roomFor(ctx, tx, "world_entries", storyID, maxEntries, "entries"); err != nil {
			return err
		}
		now := s.nowUTC()
		e.CreatedAt, e.UpdatedAt = now, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO world_entries (id, book_id, kind, name, aliases, description,
			details, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`,
			e.ID, storyID, e.Kind, e.Name, marshalAliases(e.Aliases), e.Description, string(e.Details), now); err != nil {
			return fmt.Errorf("content: insert entry: %w", err)
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "entry.created", AggregateID: e.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": storyID, "kind": e.Kind, "name": e.Name}})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Entry returns a world entry of a story the caller collaborates on.
func (s *Service) Entry(ctx context.Context, p auth.Principal, id string) (*Entry, error) {
	e, err := getEntry(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := bibleRole(ctx, s.db, e.StoryID, p.UserID, "entry"); err != nil {
		return nil, err
	}
	return e, nil
}

// Entries lists a story's world entries of one kind ("" for all), in the order
// they were created.
func (s *Service) Entries(ctx context.Context, p auth.Principal, storyID, kind string) ([]Entry, error) {
	if kind != "" {
		if err := oneOf("kind", kind, EntryKinds); err != nil {
			return nil, err
		}
	}
	if _, _, err := bibleRole(ctx, s.db, storyID, p.UserID, "story"); err != nil {
		return nil, err
	}
	return listEntries(ctx, s.db, storyID, kind)
}

// UpdateEntry changes a world entry's fields. in.Version (or ifMatch) must be the
// version the client read; a stale one is a conflict carrying the current entry.
func (s *Service) UpdateEntry(ctx context.Context, p auth.Principal, id string, in EntryInput, ifMatch int) (*Entry, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	var out *Entry
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.writableEntry(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if e.Version != expected {
			return versionConflict("the entry", e)
		}
		if err := in.apply(e); err != nil {
			return err
		}
		// The story's lock, held since writableEntry read e, keeps its version current.
		now := s.nowUTC()
		if _, err := tx.ExecContext(ctx, `UPDATE world_entries SET kind = $1, name = $2, aliases = $3, description = $4,
			details = $5, updated_at = $6, version = version + 1 WHERE id = $7`,
			e.Kind, e.Name, marshalAliases(e.Aliases), e.Description, string(e.Details), now, id); err != nil {
			return fmt.Errorf("content: update entry: %w", err)
		}
		e.Version, e.UpdatedAt = e.Version+1, now
		out = e
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "entry.updated", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": e.StoryID, "version": e.Version}})
	})
	return out, err
}

// DeleteEntry removes a world entry and the facts about it.
func (s *Service) DeleteEntry(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.writableEntry(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM world_entries WHERE id = $1`, id); err != nil {
			return fmt.Errorf("content: delete entry: %w", err)
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "entry.deleted", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": e.StoryID, "name": e.Name}})
	})
}
