package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/errs"
)

// The story bible: characters, the relationships between them, world entries
// (places, objects, lore…) and facts that hold over a range of chapters. It is
// private to the story's collaborators: viewers read it, editors and owners write
// it, and readers of a published story are told it does not exist.
//
// Lists come in order of creation, so that adding to the bible appends to the
// context assembled from it and keeps a cached prompt prefix valid.

// Allowed values of the bible's enumerated fields.
var (
	CharacterRoles = []string{"protagonist", "antagonist", "supporting", "minor"}
	EntryKinds     = []string{"location", "object", "lore", "faction", "event", "creature", "other"}
)

const (
	maxName    = 200
	maxAlias   = 100
	maxAliases = 50
	maxRelKind = 50
	maxFact    = 2000

	// A story's bible is bounded, and so is the prompt assembled from it.
	maxCharacters    = 1000
	maxRelationships = 5000
	maxEntries       = 5000
	maxFacts         = 10000
)

// cleanAliases checks a list of other names: at most maxAliases, each non-empty,
// at most maxAlias characters and different from the others whatever their case.
func cleanAliases(list []string) ([]string, error) {
	if len(list) > maxAliases {
		return nil, errs.Field("aliases", "aliases holds %d names; the limit is %d", len(list), maxAliases)
	}
	out := make([]string, 0, len(list))
	seen := make(map[string]int, len(list))
	for i, a := range list {
		field := fmt.Sprintf("aliases[%d]", i)
		a, err := cleanText(field, a, maxAlias, false)
		if err != nil {
			return nil, err
		}
		if a == "" {
			return nil, errs.Field(field, "%s is empty; every alias needs a name", field)
		}
		key := strings.ToLower(a)
		if j, dup := seen[key]; dup {
			return nil, errs.Field(field, "%s %q repeats aliases[%d]", field, a, j)
		}
		seen[key] = i
		out = append(out, a)
	}
	return out, nil
}

// aliasesBesideName checks that no alias merely repeats the name. The fault lies
// with the aliases when they were just sent, otherwise with the new name.
func aliasesBesideName(name string, aliases []string, aliasesSent bool) error {
	for i, a := range aliases {
		if !strings.EqualFold(a, name) {
			continue
		}
		if aliasesSent {
			field := fmt.Sprintf("aliases[%d]", i)
			return errs.Field(field, "%s %q is the name itself; aliases are other names", field, a)
		}
		return errs.Field("name", "name %q is already one of the aliases; remove that alias first", name)
	}
	return nil
}

// parseID checks that v is a UUID and returns it in canonical form.
func parseID(field, v string) (string, error) {
	id, err := uuid.Parse(v)
	if err != nil || len(v) != 36 {
		return "", errs.Field(field, "%s must be a UUID", field)
	}
	return id.String(), nil
}

// bibleRole returns a story and the caller's role on it for the purposes of its
// bible. Anyone below viewer is told that what they asked for (what: "story",
// "character"…) does not exist.
func bibleRole(ctx context.Context, q querier, storyID, userID, what string) (*Story, Role, error) {
	st, role, err := storyFor(ctx, q, storyID, userID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, RoleNone, err
	}
	if err != nil || role < RoleViewer {
		return nil, RoleNone, errs.E(errs.NotFound, "%s not found", what)
	}
	return st, role, nil
}

// canWriteBible checks that a caller with role may change the bible of st now.
func canWriteBible(st *Story, role Role) error {
	if err := need(role, RoleEditor, "change its story bible"); err != nil {
		return err
	}
	return storyNotLive(st)
}

// roomFor checks that a story holds fewer than max rows of table, so one more fits.
// The caller holds the story's row lock.
func roomFor(ctx context.Context, q querier, table, storyID string, max int, what string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE book_id = $1`, storyID).Scan(&n); err != nil {
		return fmt.Errorf("content: count %s: %w", what, err)
	}
	if n >= max {
		return errs.E(errs.Conflict, "a story holds at most %d %s", max, what)
	}
	return nil
}

// writableStory loads the story for a bible write, checks the caller may make it,
// and locks the story's row so that per-story limits hold.
func (s *Service) writableStory(ctx context.Context, tx *sql.Tx, storyID, userID, what string) (*Story, error) {
	st, role, err := bibleRole(ctx, tx, storyID, userID, what)
	if err != nil {
		return nil, err
	}
	if err := canWriteBible(st, role); err != nil {
		return nil, err
	}
	if err := s.db.LockRow(ctx, tx, "books", storyID); err != nil {
		return nil, err
	}
	return st, nil
}

func marshalAliases(a []string) string {
	if a == nil {
		a = []string{}
	}
	b, _ := json.Marshal(a) //nolint:errchkjson // strings always marshal
	return string(b)
}

func unmarshalAliases(raw []byte, what, id string) ([]string, error) {
	out := []string{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("content: %s %s: stored aliases do not decode: %w", what, id, err)
	}
	return out, nil
}

// Characters.

// Bible is a story's bible as it stands at one chapter, for assembling the
// context of a generation.
type Bible struct {
	StoryID string `json:"story_id"`
	// AsOfChapter is the chapter the facts are in force at; 0 means every fact.
	AsOfChapter   int            `json:"as_of_chapter"`
	Characters    []Character    `json:"characters"`
	Relationships []Relationship `json:"relationships"`
	Entries       []Entry        `json:"entries"`
	Facts         []Fact         `json:"facts"`
}

// Bible returns a story's characters, relationships, world entries and the facts
// in force at chapter asOfChapter (every fact when it is 0). It checks no caller:
// whoever calls it has already decided that the bible may be used.
func (s *Service) Bible(ctx context.Context, storyID string, asOfChapter int) (*Bible, error) {
	if asOfChapter < 0 {
		return nil, errs.Field("as_of_chapter", "as_of_chapter must be a chapter number (1 or more), or 0 for every fact")
	}
	if _, err := uuid.Parse(storyID); err != nil {
		return nil, errNotFound()
	}
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM books WHERE id = $1`, storyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("content: load story %s: %w", storyID, err)
	}
	b := &Bible{StoryID: storyID, AsOfChapter: asOfChapter}
	if b.Characters, err = listCharacters(ctx, s.db, storyID); err != nil {
		return nil, err
	}
	if b.Relationships, err = listStoryRelationships(ctx, s.db, storyID); err != nil {
		return nil, err
	}
	if b.Entries, err = listEntries(ctx, s.db, storyID, ""); err != nil {
		return nil, err
	}
	if b.Facts, err = listFacts(ctx, s.db, storyID, FactFilter{AsOfChapter: asOfChapter}); err != nil {
		return nil, err
	}
	return b, nil
}
