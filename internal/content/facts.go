package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

// maxChapter is the largest chapter bound a fact may have: the columns are
// 32-bit integers.
const maxChapter = math.MaxInt32

// Fact is something true of a character or a world entry, from chapter
// FromChapter until chapter UntilChapter (both included); a nil bound is open:
// "from chapter 12, Mara has lost her left hand".
type Fact struct {
	ID           string    `json:"id"`
	StoryID      string    `json:"story_id"`
	CharacterID  *string   `json:"character_id"`
	EntryID      *string   `json:"entry_id"`
	Fact         string    `json:"fact"`
	FromChapter  *int      `json:"from_chapter"`
	UntilChapter *int      `json:"until_chapter"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// NullInt is an optional JSON integer that may be null, for a field an update
// leaves alone when it is absent and clears when it is null.
type NullInt struct {
	// Set tells whether the field was present.
	Set bool
	// Value is the integer, nil when the field was null (or absent).
	Value *int
}

// UnmarshalJSON reads null or an integer. Anything else is a
// *json.UnmarshalTypeError, to which the decoder adds the field's name.
func (n *NullInt) UnmarshalJSON(raw []byte) error {
	n.Set, n.Value = true, nil
	if string(raw) == "null" {
		return nil
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// FactInput is a new fact or a change to one. A fact is about exactly one
// character or world entry, and never changes subject. In a change, absent fields
// stay as they are and a null chapter bound opens the range at that end.
type FactInput struct {
	Version      *int    `json:"version"`
	CharacterID  *string `json:"character_id"`
	EntryID      *string `json:"entry_id"`
	Fact         *string `json:"fact"`
	FromChapter  NullInt `json:"from_chapter"`
	UntilChapter NullInt `json:"until_chapter"`
}

// apply copies the text and the chapter bounds of in onto f.
func (in *FactInput) apply(f *Fact) error {
	var err error
	if in.Fact != nil {
		if f.Fact, err = cleanText("fact", *in.Fact, maxFact, true); err != nil {
			return err
		}
	}
	if f.Fact == "" {
		return errs.Field("fact", "fact is required: what is true of the character or entry")
	}
	if f.FromChapter, err = chapterBound("from_chapter", in.FromChapter, f.FromChapter); err != nil {
		return err
	}
	if f.UntilChapter, err = chapterBound("until_chapter", in.UntilChapter, f.UntilChapter); err != nil {
		return err
	}
	if f.FromChapter != nil && f.UntilChapter != nil && *f.UntilChapter < *f.FromChapter {
		if in.FromChapter.Set && !in.UntilChapter.Set {
			return errs.Field("from_chapter", "from_chapter (%d) is after the fact's until_chapter (%d)", *f.FromChapter, *f.UntilChapter)
		}
		return errs.Field("until_chapter", "until_chapter (%d) is before from_chapter (%d)", *f.UntilChapter, *f.FromChapter)
	}
	return nil
}

// chapterBound returns the chapter bound sent as field, or current when it was not sent.
func chapterBound(field string, sent NullInt, current *int) (*int, error) {
	if !sent.Set {
		return current, nil
	}
	if v := sent.Value; v != nil && (*v < 1 || *v > maxChapter) {
		return nil, errs.Field(field, "%s must be a chapter number (1 or more), or null", field)
	}
	return sent.Value, nil
}

// FactFilter selects facts: about one character or one entry (when set), in
// force at chapter AsOfChapter (when not 0).
type FactFilter struct {
	CharacterID string
	EntryID     string
	AsOfChapter int
}

const factCols = `id, book_id, character_id, entry_id, fact, from_chapter, until_chapter, version, created_at, updated_at`

func scanFact(row interface{ Scan(...any) error }) (*Fact, error) {
	var (
		f                Fact
		character, entry sql.NullString
		fromCh, untilCh  sql.NullInt64
	)
	if err := row.Scan(&f.ID, &f.StoryID, &character, &entry, &f.Fact, &fromCh, &untilCh, &f.Version,
		&f.CreatedAt, &f.UpdatedAt); err != nil {
		return nil, err
	}
	if character.Valid {
		f.CharacterID = &character.String
	}
	if entry.Valid {
		f.EntryID = &entry.String
	}
	if fromCh.Valid {
		n := int(fromCh.Int64)
		f.FromChapter = &n
	}
	if untilCh.Valid {
		n := int(untilCh.Int64)
		f.UntilChapter = &n
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

func getFact(ctx context.Context, q querier, id string) (*Fact, error) {
	f, err := scanFact(q.QueryRowContext(ctx, `SELECT `+factCols+` FROM story_facts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "fact not found")
	}
	if err != nil {
		return nil, fmt.Errorf("content: load fact %s: %w", id, err)
	}
	return f, nil
}

// listFacts returns a story's facts that pass filter, in the order they were created.
func listFacts(ctx context.Context, q querier, storyID string, filter FactFilter) ([]Fact, error) {
	query, args := `SELECT `+factCols+` FROM story_facts WHERE book_id = $1`, []any{storyID}
	if filter.CharacterID != "" {
		args = append(args, filter.CharacterID)
		query += fmt.Sprintf(` AND character_id = $%d`, len(args))
	}
	if filter.EntryID != "" {
		args = append(args, filter.EntryID)
		query += fmt.Sprintf(` AND entry_id = $%d`, len(args))
	}
	if filter.AsOfChapter > 0 {
		// No stored bound is above maxChapter, so a later chapter sees what it sees.
		args = append(args, min(filter.AsOfChapter, maxChapter))
		n := len(args)
		query += fmt.Sprintf(` AND (from_chapter IS NULL OR from_chapter <= $%d) AND (until_chapter IS NULL OR until_chapter >= $%d)`, n, n)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("content: list facts: %w", err)
	}
	defer rows.Close()
	out := []Fact{}
	for rows.Next() {
		f, err := scanFact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// factSubject checks the subject of a new fact: exactly one of a character and an
// entry, named by a UUID.
func factSubject(in FactInput) (characterID, entryID string, err error) {
	switch {
	case in.CharacterID == nil && in.EntryID == nil:
		return "", "", errs.Field("character_id", "character_id or entry_id is required: the character or world entry the fact is about")
	case in.CharacterID != nil && in.EntryID != nil:
		return "", "", errs.Field("entry_id", "entry_id is not allowed beside character_id: a fact is about one character or one entry")
	case in.CharacterID != nil:
		characterID, err = parseID("character_id", *in.CharacterID)
	default:
		entryID, err = parseID("entry_id", *in.EntryID)
	}
	return characterID, entryID, err
}

// checkSubjectInStory checks that the character or entry a new fact is about
// belongs to the story.
func checkSubjectInStory(ctx context.Context, q querier, storyID, characterID, entryID string) error {
	table, field, id := "characters", "character_id", characterID
	if entryID != "" {
		table, field, id = "world_entries", "entry_id", entryID
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1 AND book_id = $2`, id, storyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field(field, "%s is not in this story's bible", field)
	}
	if err != nil {
		return fmt.Errorf("content: find %s: %w", field, err)
	}
	return nil
}

// CreateFact adds a fact about a character or a world entry to a story's bible.
func (s *Service) CreateFact(ctx context.Context, p auth.Principal, storyID string, in FactInput) (*Fact, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new fact has no version")
	}
	characterID, entryID, err := factSubject(in)
	if err != nil {
		return nil, err
	}
	f := &Fact{ID: uuid.NewString(), StoryID: storyID, Version: 1}
	if characterID != "" {
		f.CharacterID = &characterID
	} else {
		f.EntryID = &entryID
	}
	if err := in.apply(f); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writableStory(ctx, tx, storyID, p.UserID, "story"); err != nil {
			return err
		}
		if err := checkSubjectInStory(ctx, tx, storyID, characterID, entryID); err != nil {
			return err
		}
		if err := roomFor(ctx, tx, "story_facts", storyID, maxFacts, "facts"); err != nil {
			return err
		}
		now := s.nowUTC()
		f.CreatedAt, f.UpdatedAt = now, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_facts (id, book_id, character_id, entry_id, fact,
			from_chapter, until_chapter, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
			f.ID, storyID, nullable(characterID), nullable(entryID), f.Fact, f.FromChapter, f.UntilChapter, now); err != nil {
			return fmt.Errorf("content: insert fact: %w", err)
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "fact.created", AggregateID: f.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": storyID, "character_id": f.CharacterID, "entry_id": f.EntryID}})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Fact returns a fact of a story the caller collaborates on.
func (s *Service) Fact(ctx context.Context, p auth.Principal, id string) (*Fact, error) {
	f, err := getFact(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := bibleRole(ctx, s.db, f.StoryID, p.UserID, "fact"); err != nil {
		return nil, err
	}
	return f, nil
}

// Facts lists a story's facts that pass filter, in the order they were created.
func (s *Service) Facts(ctx context.Context, p auth.Principal, storyID string, filter FactFilter) ([]Fact, error) {
	if _, _, err := bibleRole(ctx, s.db, storyID, p.UserID, "story"); err != nil {
		return nil, err
	}
	return listFacts(ctx, s.db, storyID, filter)
}

// UpdateFact changes a fact's text or chapter range. Facts carry no version: the
// last change wins.
func (s *Service) UpdateFact(ctx context.Context, p auth.Principal, id string, in FactInput, ifMatch int) (*Fact, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	var out *Fact
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		f, err := getFact(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.writableStory(ctx, tx, f.StoryID, p.UserID, "fact"); err != nil {
			return err
		}
		if f, err = getFact(ctx, tx, id); err != nil { // as it is under the story's lock
			return err
		}
		if f.Version != expected {
			return versionConflict("the fact", f)
		}
		if err := sameSubject("character_id", in.CharacterID, f.CharacterID); err != nil {
			return err
		}
		if err := sameSubject("entry_id", in.EntryID, f.EntryID); err != nil {
			return err
		}
		if err := in.apply(f); err != nil {
			return err
		}
		now := s.nowUTC()
		if _, err := tx.ExecContext(ctx, `UPDATE story_facts SET fact = $1, from_chapter = $2, until_chapter = $3,
			updated_at = $4, version = version + 1 WHERE id = $5`, f.Fact, f.FromChapter, f.UntilChapter, now, id); err != nil {
			return fmt.Errorf("content: update fact: %w", err)
		}
		f.UpdatedAt = now
		f.Version++
		out = f
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "fact.updated", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": f.StoryID, "character_id": f.CharacterID, "entry_id": f.EntryID}})
	})
	return out, err
}

// sameSubject checks that a change to a fact sends its subject field (character_id
// or entry_id) unchanged, if at all.
func sameSubject(field string, sent, current *string) error {
	if sent == nil {
		return nil
	}
	if id, err := parseID(field, *sent); err == nil && current != nil && id == *current {
		return nil
	}
	return errs.Field(field, "%s cannot change: a fact stays about its character or entry; delete it and add another", field)
}

// DeleteFact removes a fact.
func (s *Service) DeleteFact(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		f, err := getFact(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.writableStory(ctx, tx, f.StoryID, p.UserID, "fact"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM story_facts WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("content: delete fact: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "fact not found") // deleted while we waited
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "fact.deleted", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": f.StoryID}})
	})
}
