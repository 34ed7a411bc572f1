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

// Character is a character of a story's bible.
type Character struct {
	ID          string          `json:"id"`
	StoryID     string          `json:"story_id"`
	Name        string          `json:"name"`
	Role        string          `json:"role"`
	Description string          `json:"description"`
	Background  string          `json:"background"`
	Traits      json.RawMessage `json:"traits"`
	Aliases     []string        `json:"aliases"`
	Version     int             `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// CharacterInput is a new character or a change to one; nil fields are absent.
// StoryID names the story of a new character; a character never changes story.
type CharacterInput struct {
	Version     *int             `json:"version"`
	StoryID     *string          `json:"story_id"`
	Name        *string          `json:"name"`
	Role        *string          `json:"role"`
	Description *string          `json:"description"`
	Background  *string          `json:"background"`
	Traits      *json.RawMessage `json:"traits"`
	Aliases     *[]string        `json:"aliases"`
}

// apply copies the present fields of in, but the version and the story, onto c.
func (in *CharacterInput) apply(c *Character) error {
	var err error
	if in.Name != nil {
		if c.Name, err = cleanText("name", *in.Name, maxName, false); err != nil {
			return err
		}
	}
	if c.Name == "" {
		return errs.Field("name", "name is required")
	}
	if in.Role != nil {
		if err := oneOf("role", *in.Role, CharacterRoles); err != nil {
			return err
		}
		c.Role = *in.Role
	}
	if in.Description != nil {
		if c.Description, err = cleanText("description", *in.Description, maxLongText, true); err != nil {
			return err
		}
	}
	if in.Background != nil {
		if c.Background, err = cleanText("background", *in.Background, maxLongText, true); err != nil {
			return err
		}
	}
	if in.Traits != nil {
		if c.Traits, err = jsonObject("traits", *in.Traits); err != nil {
			return err
		}
	}
	if in.Aliases != nil {
		if c.Aliases, err = cleanAliases(*in.Aliases); err != nil {
			return err
		}
	}
	return aliasesBesideName(c.Name, c.Aliases, in.Aliases != nil)
}

const characterCols = `id, book_id, name, role, description, background, traits, aliases, version, created_at, updated_at`

func scanCharacter(row interface{ Scan(...any) error }) (*Character, error) {
	var (
		c               Character
		traits, aliases []byte
	)
	if err := row.Scan(&c.ID, &c.StoryID, &c.Name, &c.Role, &c.Description, &c.Background, &traits, &aliases,
		&c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	a, err := unmarshalAliases(aliases, "character", c.ID)
	if err != nil {
		return nil, err
	}
	c.Traits, c.Aliases = json.RawMessage(traits), a
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func getCharacter(ctx context.Context, q querier, id string) (*Character, error) {
	c, err := scanCharacter(q.QueryRowContext(ctx, `SELECT `+characterCols+` FROM characters WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "character not found")
	}
	if err != nil {
		return nil, fmt.Errorf("content: load character %s: %w", id, err)
	}
	return c, nil
}

func listCharacters(ctx context.Context, q querier, storyID string) ([]Character, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+characterCols+` FROM characters WHERE book_id = $1
	ORDER BY created_at, id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: list characters: %w", err)
	}
	defer rows.Close()
	out := []Character{}
	for rows.Next() {
		c, err := scanCharacter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// characterAccess loads a character the caller may read: a collaborator of its story.
func characterAccess(ctx context.Context, q querier, p auth.Principal, id string) (*Character, error) {
	c, err := getCharacter(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := bibleRole(ctx, q, c.StoryID, p.UserID, "character"); err != nil {
		return nil, err
	}
	return c, nil
}

// writableCharacter loads a character the caller may change, takes its story's
// lock and returns the character as it is under that lock.
func (s *Service) writableCharacter(ctx context.Context, tx *sql.Tx, p auth.Principal, id string) (*Character, error) {
	c, err := getCharacter(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.writableStory(ctx, tx, c.StoryID, p.UserID, "character"); err != nil {
		return nil, err
	}
	return getCharacter(ctx, tx, id)
}

// CreateCharacter adds a character to the bible of the story in.StoryID.
func (s *Service) CreateCharacter(ctx context.Context, p auth.Principal, in CharacterInput) (*Character, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new character has no version")
	}
	if in.StoryID == nil {
		return nil, errs.Field("story_id", "story_id is required: the story the character belongs to")
	}
	storyID, err := parseID("story_id", *in.StoryID)
	if err != nil {
		return nil, err
	}
	c := &Character{ID: uuid.NewString(), StoryID: storyID, Role: "supporting", Traits: json.RawMessage("{}"),
		Aliases: []string{}, Version: 1}
	if err := in.apply(c); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writableStory(ctx, tx, storyID, p.UserID, "story"); err != nil {
			return err
		}
		if err := roomFor(ctx, tx, "characters", storyID, maxCharacters, "characters"); err != nil {
			return err
		}
		now := s.nowUTC()
		c.CreatedAt, c.UpdatedAt = now, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO characters (id, book_id, name, role, description, background,
			traits, aliases, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)`,
			c.ID, storyID, c.Name, c.Role, c.Description, c.Background, string(c.Traits), marshalAliases(c.Aliases), now); err != nil {
			return fmt.Errorf("content: insert character: %w", err)
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "character.created", AggregateID: c.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": storyID, "name": c.Name}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Character returns a character of a story the caller collaborates on.
func (s *Service) Character(ctx context.Context, p auth.Principal, id string) (*Character, error) {
	return characterAccess(ctx, s.db, p, id)
}

// Characters lists a story's characters in the order they were created.
func (s *Service) Characters(ctx context.Context, p auth.Principal, storyID string) ([]Character, error) {
	if _, _, err := bibleRole(ctx, s.db, storyID, p.UserID, "story"); err != nil {
		return nil, err
	}
	return listCharacters(ctx, s.db, storyID)
}

// UpdateCharacter changes a character's fields. in.Version (or ifMatch) must be
// the version the client read; a stale one is a conflict carrying the current
// character.
func (s *Service) UpdateCharacter(ctx context.Context, p auth.Principal, id string, in CharacterInput, ifMatch int) (*Character, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	var out *Character
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.writableCharacter(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if c.Version != expected {
			return versionConflict("the character", c)
		}
		if in.StoryID != nil {
			if sid, err := parseID("story_id", *in.StoryID); err != nil || sid != c.StoryID {
				return errs.Field("story_id", "story_id cannot change: a character stays in its story")
			}
		}
		if err := in.apply(c); err != nil {
			return err
		}
		// The story's lock, held since writableCharacter read c, keeps its version current.
		now := s.nowUTC()
		if _, err := tx.ExecContext(ctx, `UPDATE characters SET name = $1, role = $2, description = $3, background = $4,
			traits = $5, aliases = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
			c.Name, c.Role, c.Description, c.Background, string(c.Traits), marshalAliases(c.Aliases), now, id); err != nil {
			return fmt.Errorf("content: update character: %w", err)
		}
		c.Version, c.UpdatedAt = c.Version+1, now
		out = c
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "character.updated", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "version": c.Version}})
	})
	return out, err
}

// DeleteCharacter removes a character with its relationships and facts; scenes it
// was the point of view of are left without one.
func (s *Service) DeleteCharacter(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.writableCharacter(ctx, tx, p, id)
		if err != nil {
			return err
		}
		// Foreign keys delete the relationships and facts and clear the scenes'
		// point of view, under the story's lock like every other content write.
		if _, err := tx.ExecContext(ctx, `DELETE FROM characters WHERE id = $1`, id); err != nil {
			return fmt.Errorf("content: delete character: %w", err)
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "character.deleted", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "name": c.Name}})
	})
}
