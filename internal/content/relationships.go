package content

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Relationship ties one character of a story to another: Mara is Jonah's
// "sister". It has a direction; the reverse tie, if any, is another relationship.
type Relationship struct {
	ID              string    `json:"id"`
	StoryID         string    `json:"story_id"`
	FromCharacterID string    `json:"from_character_id"`
	ToCharacterID   string    `json:"to_character_id"`
	Kind            string    `json:"kind"`
	Description     string    `json:"description"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// The directions of a relationship as seen from one of its characters.
const (
	Outgoing = "outgoing" // the character is the relationship's from_character_id
	Incoming = "incoming" // the character is its to_character_id
)

// CharacterRelationship is a relationship as seen from one of its characters:
// its direction from there and the character at its other end.
type CharacterRelationship struct {
	Relationship
	Direction          string `json:"direction"`
	OtherCharacterID   string `json:"other_character_id"`
	OtherCharacterName string `json:"other_character_name"`
}

// RelationshipInput is a new relationship from a character to ToCharacterID.
type RelationshipInput struct {
	ToCharacterID string `json:"to_character_id"`
	Kind          string `json:"kind"`
	Description   string `json:"description"`
}

// namedRelationship is a relationship with the names of both its characters.
type namedRelationship struct {
	Relationship
	fromName, toName string
}

// seenFrom returns r as character characterID, one of its two ends, sees it.
func (r *namedRelationship) seenFrom(characterID string) CharacterRelationship {
	if characterID == r.ToCharacterID {
		return CharacterRelationship{Relationship: r.Relationship, Direction: Incoming,
			OtherCharacterID: r.FromCharacterID, OtherCharacterName: r.fromName}
	}
	return CharacterRelationship{Relationship: r.Relationship, Direction: Outgoing,
		OtherCharacterID: r.ToCharacterID, OtherCharacterName: r.toName}
}

const relationshipCols = `r.id, r.book_id, r.from_character_id, r.to_character_id, r.kind, r.description,
	r.created_at, r.updated_at`

// namedRelationshipQuery selects relationships with their characters' names.
const namedRelationshipQuery = `SELECT ` + relationshipCols + `, f.name, t.name FROM character_relationships r
	JOIN characters f ON f.id = r.from_character_id JOIN characters t ON t.id = r.to_character_id`

func scanRelationship(row interface{ Scan(...any) error }, extra ...any) (*Relationship, error) {
	var r Relationship
	dest := append([]any{&r.ID, &r.StoryID, &r.FromCharacterID, &r.ToCharacterID, &r.Kind, &r.Description,
		&r.CreatedAt, &r.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

func scanNamedRelationship(row interface{ Scan(...any) error }) (*namedRelationship, error) {
	var n namedRelationship
	r, err := scanRelationship(row, &n.fromName, &n.toName)
	if err != nil {
		return nil, err
	}
	n.Relationship = *r
	return &n, nil
}

func getRelationship(ctx context.Context, q querier, id string) (*namedRelationship, error) {
	r, err := scanNamedRelationship(q.QueryRowContext(ctx, namedRelationshipQuery+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "relationship not found")
	}
	if err != nil {
		return nil, fmt.Errorf("content: load relationship %s: %w", id, err)
	}
	return r, nil
}

// listCharacterRelationships returns the relationships from and to a character,
// in the order they were created.
func listCharacterRelationships(ctx context.Context, q querier, characterID string) ([]CharacterRelationship, error) {
	rows, err := q.QueryContext(ctx, namedRelationshipQuery+`
	WHERE r.from_character_id = $1 OR r.to_character_id = $1 ORDER BY r.created_at, r.id`, characterID)
	if err != nil {
		return nil, fmt.Errorf("content: list relationships: %w", err)
	}
	defer rows.Close()
	out := []CharacterRelationship{}
	for rows.Next() {
		r, err := scanNamedRelationship(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.seenFrom(characterID))
	}
	return out, rows.Err()
}

func listStoryRelationships(ctx context.Context, q querier, storyID string) ([]Relationship, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+relationshipCols+` FROM character_relationships r
	WHERE r.book_id = $1 ORDER BY r.created_at, r.id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: list relationships: %w", err)
	}
	defer rows.Close()
	out := []Relationship{}
	for rows.Next() {
		r, err := scanRelationship(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// errDuplicateRelationship is the conflict of a kind the two characters already have.
func errDuplicateRelationship(kind string) error {
	return &errs.Error{Kind: errs.Conflict, Field: "kind",
		Message: fmt.Sprintf("the characters already have a %q relationship in this direction", kind)}
}

// checkNewKind checks that from has no relationship to to of the same kind,
// whatever its case.
func checkNewKind(ctx context.Context, q querier, from, to, kind string) error {
	rows, err := q.QueryContext(ctx, `SELECT kind FROM character_relationships
	WHERE from_character_id = $1 AND to_character_id = $2`, from, to)
	if err != nil {
		return fmt.Errorf("content: find relationships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		if strings.EqualFold(k, kind) {
			return errDuplicateRelationship(k)
		}
	}
	return rows.Err()
}

// CreateRelationship adds a relationship from character fromID to another
// character of the same story.
func (s *Service) CreateRelationship(ctx context.Context, p auth.Principal, fromID string, in RelationshipInput) (*CharacterRelationship, error) {
	toID, err := parseID("to_character_id", in.ToCharacterID)
	if err != nil {
		return nil, err
	}
	r := &namedRelationship{Relationship: Relationship{ID: uuid.NewString(), FromCharacterID: fromID, ToCharacterID: toID}}
	if r.Kind, err = cleanText("kind", in.Kind, maxRelKind, false); err != nil {
		return nil, err
	}
	if r.Kind == "" {
		return nil, errs.Field("kind", "kind is required: what the other character is to this one, like \"sister\"")
	}
	if r.Description, err = cleanText("description", in.Description, maxLongText, true); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		from, err := s.writableCharacter(ctx, tx, p, fromID)
		if err != nil {
			return err
		}
		if toID == fromID {
			return errs.Field("to_character_id", "to_character_id is the character itself; a relationship ties two characters")
		}
		to, err := getCharacter(ctx, tx, toID)
		if errs.Is(err, errs.NotFound) || (err == nil && to.StoryID != from.StoryID) {
			return errs.Field("to_character_id", "to_character_id is not a character of this story")
		}
		if err != nil {
			return err
		}
		if err := roomFor(ctx, tx, "character_relationships", from.StoryID, maxRelationships, "relationships"); err != nil {
			return err
		}
		if err := checkNewKind(ctx, tx, fromID, toID, r.Kind); err != nil {
			return err
		}
		now := s.nowUTC()
		r.StoryID, r.CreatedAt, r.UpdatedAt = from.StoryID, now, now
		r.fromName, r.toName = from.Name, to.Name
		if _, err := tx.ExecContext(ctx, `INSERT INTO character_relationships (id, book_id, from_character_id,
			to_character_id, kind, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, r.ID, r.StoryID, fromID, toID, r.Kind, r.Description, now); err != nil {
			if _, dup := sqldb.IsUniqueViolation(err); dup {
				return errDuplicateRelationship(r.Kind)
			}
			return fmt.Errorf("content: insert relationship: %w", err)
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "relationship.created", AggregateID: r.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": r.StoryID, "from_character_id": fromID, "to_character_id": toID, "kind": r.Kind}})
	})
	if err != nil {
		return nil, err
	}
	v := r.seenFrom(fromID)
	return &v, nil
}

// Relationship returns a relationship as its from character sees it.
func (s *Service) Relationship(ctx context.Context, p auth.Principal, id string) (*CharacterRelationship, error) {
	r, err := getRelationship(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := bibleRole(ctx, s.db, r.StoryID, p.UserID, "relationship"); err != nil {
		return nil, err
	}
	v := r.seenFrom(r.FromCharacterID)
	return &v, nil
}

// Relationships lists the relationships from and to a character, each as the
// character sees it, in the order they were created.
func (s *Service) Relationships(ctx context.Context, p auth.Principal, characterID string) ([]CharacterRelationship, error) {
	if _, err := characterAccess(ctx, s.db, p, characterID); err != nil {
		return nil, err
	}
	return listCharacterRelationships(ctx, s.db, characterID)
}

// DeleteRelationship removes a relationship.
func (s *Service) DeleteRelationship(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		r, err := getRelationship(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.writableStory(ctx, tx, r.StoryID, p.UserID, "relationship"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM character_relationships WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("content: delete relationship: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "relationship not found") // deleted while we waited
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "relationship.deleted", AggregateID: id, ActorID: p.UserID,
			Payload: map[string]any{"story_id": r.StoryID, "from_character_id": r.FromCharacterID,
				"to_character_id": r.ToCharacterID, "kind": r.Kind}})
	})
}
