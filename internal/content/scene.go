package content

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

// Limits of a scene's fields.
const (
	maxSetting     = 500
	maxCardText    = 2000
	maxCardBeats   = 100
	maxTargetWords = 1_000_000
)

// Scene is one scene of a chapter. A chapter's word count includes its scenes'.
//
// Every write to a story's content (chapters, scenes, versions) takes the story's
// row lock first, so that numbering and word counts change one writer at a time
// and no two writers wait for each other's rows in opposite orders.
type Scene struct {
	ID             string
	ChapterID      string
	StoryID        string
	Number         int
	Title          string
	Content        document.Doc
	PlainText      string
	WordCount      int
	POVCharacterID string // "" when the scene has no point-of-view character
	Setting        string
	Card           SceneCard
	Metadata       json.RawMessage
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SceneCard is a scene's plan: what it must achieve, its beats and its length.
type SceneCard struct {
	Goal        string   `json:"goal"`
	Beats       []string `json:"beats"`
	TargetWords int      `json:"target_words"`
}

// SceneView is a scene as the API shows it. Content appears in exactly one of the
// formats the client asked for; lists carry none.
type SceneView struct {
	ID             string          `json:"id"`
	ChapterID      string          `json:"chapter_id"`
	StoryID        string          `json:"story_id"`
	Number         int             `json:"scene_number"`
	Title          string          `json:"title"`
	Setting        string          `json:"setting"`
	POVCharacterID *string         `json:"pov_character_id"`
	Card           SceneCard       `json:"card"`
	WordCount      int             `json:"word_count"`
	Metadata       json.RawMessage `json:"metadata"`
	Version        int             `json:"version"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	Rendered
}

// View returns the scene in the given format (formatNone: without content).
func (sc *Scene) View(format string) SceneView {
	v := SceneView{ID: sc.ID, ChapterID: sc.ChapterID, StoryID: sc.StoryID, Number: sc.Number, Title: sc.Title,
		Setting: sc.Setting, Card: sc.Card, WordCount: sc.WordCount, Metadata: sc.Metadata, Version: sc.Version,
		CreatedAt: sc.CreatedAt, UpdatedAt: sc.UpdatedAt}
	if sc.POVCharacterID != "" {
		id := sc.POVCharacterID
		v.POVCharacterID = &id
	}
	if v.Card.Beats == nil {
		v.Card.Beats = []string{}
	}
	v.Rendered = render(sc.Content, sc.PlainText, format)
	return v
}

// SceneInput is a new scene or a change to one; absent fields stay as they are.
// Content comes in one of three forms: content (the JSON document), markdown or
// fountain. A card replaces the whole card; pov_character_id and card may be null
// to clear them.
type SceneInput struct {
	Version        *int             `json:"version"`
	Title          *string          `json:"title"`
	Setting        *string          `json:"setting"`
	POVCharacterID json.RawMessage  `json:"pov_character_id"`
	Card           json.RawMessage  `json:"card"`
	Metadata       *json.RawMessage `json:"metadata"`
	Content        json.RawMessage  `json:"content"`
	Markdown       *string          `json:"markdown"`
	Fountain       *string          `json:"fountain"`
	Position       *int             `json:"position"`
	ChangeSummary  string           `json:"change_summary"`
}

// document returns the content carried by in, if any, by the chapters' rules.
func (in *SceneInput) document() (document.Doc, bool, error) {
	c := ChapterInput{Content: in.Content, Markdown: in.Markdown, Fountain: in.Fountain}
	return c.document()
}

// apply copies in's fields other than content and the POV character onto sc. It
// reports whether the POV character changed (the caller checks it is in the story).
func (in *SceneInput) apply(sc *Scene) (povChanged bool, err error) {
	if in.Title != nil {
		if sc.Title, err = cleanText("title", *in.Title, maxTitle, false); err != nil {
			return false, err
		}
	}
	if in.Setting != nil {
		if sc.Setting, err = cleanText("setting", *in.Setting, maxSetting, false); err != nil {
			return false, err
		}
	}
	if len(in.Card) > 0 {
		if sc.Card, err = parseCard(in.Card); err != nil {
			return false, err
		}
	}
	if in.Metadata != nil {
		if sc.Metadata, err = jsonObject("metadata", *in.Metadata); err != nil {
			return false, err
		}
	}
	if len(in.ChangeSummary) > 500 {
		return false, errs.Field("change_summary", "change_summary is longer than 500 characters")
	}
	if len(in.POVCharacterID) > 0 {
		raw := bytes.TrimSpace(in.POVCharacterID)
		id := ""
		if string(raw) != "null" {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return false, errs.Field("pov_character_id", "pov_character_id must be a character id (UUID) or null")
			}
			u, err := uuid.Parse(s)
			if err != nil || len(s) != 36 {
				return false, errs.Field("pov_character_id", "pov_character_id must be a character id (UUID) or null")
			}
			id = u.String()
		}
		povChanged = id != sc.POVCharacterID
		sc.POVCharacterID = id
	}
	return povChanged, nil
}

// parseCard validates a scene card strictly: a JSON object (or null, the empty
// card) with only goal, beats and target_words, each of its type and within limits.
func parseCard(raw json.RawMessage) (SceneCard, error) {
	card := SceneCard{Beats: []string{}}
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return card, nil
	}
	var fields map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &fields) != nil {
		return card, errs.Field("card", "card must be an object with goal, beats and target_words")
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := fields[k]
		switch k {
		case "goal":
			var s string
			if string(v) == "null" || json.Unmarshal(v, &s) != nil {
				return card, errs.Field("card.goal", "card.goal must be a string")
			}
			g, err := cleanText("card.goal", s, maxCardText, true)
			if err != nil {
				return card, err
			}
			card.Goal = g
		case "beats":
			var beats []string
			if string(v) == "null" || json.Unmarshal(v, &beats) != nil {
				return card, errs.Field("card.beats", "card.beats must be an array of strings")
			}
			if len(beats) > maxCardBeats {
				return card, errs.Field("card.beats", "card.beats has %d beats; the limit is %d", len(beats), maxCardBeats)
			}
			for i, b := range beats {
				field := fmt.Sprintf("card.beats[%d]", i)
				clean, err := cleanText(field, b, maxCardText, true)
				if err != nil {
					return card, err
				}
				if clean == "" {
					return card, errs.Field(field, "%s is empty", field)
				}
				beats[i] = clean
			}
			card.Beats = beats
		case "target_words":
			// Only an integer literal: no string, fraction or exponent.
			n, err := json.Number(v).Int64()
			if err != nil || n < 0 || n > maxTargetWords {
				return card, errs.Field("card.target_words", "card.target_words must be a whole number from 0 to %d", maxTargetWords)
			}
			card.TargetWords = int(n)
		default:
			return card, errs.Field("card."+k, "card has no field %q; it holds goal, beats and target_words", k)
		}
	}
	return card, nil
}

const sceneCols = `s.id, s.chapter_id, c.book_id, s.scene_number, s.title, s.content, s.plain_text, s.word_count,
	s.pov_character_id, s.setting, s.card, s.metadata, s.version, s.created_at, s.updated_at`

// sceneListCols reads everything but the (large) content and plain text.
const sceneListCols = `s.id, s.chapter_id, c.book_id, s.scene_number, s.title, '[]', '', s.word_count,
	s.pov_character_id, s.setting, s.card, s.metadata, s.version, s.created_at, s.updated_at`

func scanScene(row interface{ Scan(...any) error }, extra ...any) (*Scene, error) {
	var (
		sc                  Scene
		content, card, meta []byte
		pov                 sql.NullString
	)
	dest := append([]any{&sc.ID, &sc.ChapterID, &sc.StoryID, &sc.Number, &sc.Title, &content, &sc.PlainText,
		&sc.WordCount, &pov, &sc.Setting, &card, &meta, &sc.Version, &sc.CreatedAt, &sc.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(content, &sc.Content); err != nil {
		return nil, fmt.Errorf("content: scene %s: stored document does not decode: %w", sc.ID, err)
	}
	if err := json.Unmarshal(card, &sc.Card); err != nil {
		return nil, fmt.Errorf("content: scene %s: stored card does not decode: %w", sc.ID, err)
	}
	if sc.Card.Beats == nil {
		sc.Card.Beats = []string{}
	}
	sc.POVCharacterID = pov.String
	sc.Metadata = meta
	sc.CreatedAt, sc.UpdatedAt = sc.CreatedAt.UTC(), sc.UpdatedAt.UTC()
	return &sc, nil
}

// getScene loads a scene and the status of its chapter.
func getScene(ctx context.Context, q querier, id string) (*Scene, string, error) {
	var chapterStatus string
	sc, err := scanScene(q.QueryRowContext(ctx, `SELECT `+sceneCols+`, c.status
	FROM scenes s JOIN chapters c ON c.id = s.chapter_id WHERE s.id = $1`, id), &chapterStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errs.E(errs.NotFound, "scene not found")
	}
	if err != nil {
		return nil, "", fmt.Errorf("content: load scene: %w", err)
	}
	return sc, chapterStatus, nil
}

func listScenes(ctx context.Context, q querier, chapterID string) ([]*Scene, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sceneListCols+`
	FROM scenes s JOIN chapters c ON c.id = s.chapter_id WHERE s.chapter_id = $1 ORDER BY s.scene_number`, chapterID)
	if err != nil {
		return nil, fmt.Errorf("content: list scenes: %w", err)
	}
	defer rows.Close()
	out := []*Scene{}
	for rows.Next() {
		sc, err := scanScene(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

func marshalCard(c SceneCard) string {
	if c.Beats == nil {
		c.Beats = []string{}
	}
	b, _ := json.Marshal(c) //nolint:errchkjson // strings and an int always marshal
	return string(b)
}

// shiftScenes moves the numbers of a chapter's scenes numbered from or above from
// by delta, through negative numbers as shiftChapters does.
func shiftScenes(ctx context.Context, tx *sql.Tx, chapterID string, from, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE scenes SET scene_number = -(scene_number + $1)
	WHERE chapter_id = $2 AND scene_number >= $3`, delta, chapterID, from); err != nil {
		return fmt.Errorf("content: renumber scenes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scenes SET scene_number = -scene_number
	WHERE chapter_id = $1 AND scene_number < 0`, chapterID); err != nil {
		return fmt.Errorf("content: renumber scenes: %w", err)
	}
	return nil
}

// numberScenes gives the scenes listed in order the numbers 1..n, through negative
// numbers so that the unique (chapter_id, scene_number) holds after every row.
func numberScenes(ctx context.Context, tx *sql.Tx, chapterID string, order []string) error {
	for i, id := range order {
		if _, err := tx.ExecContext(ctx, `UPDATE scenes SET scene_number = $1 WHERE id = $2`, -(i + 1), id); err != nil {
			return fmt.Errorf("content: number scenes: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scenes SET scene_number = -scene_number
	WHERE chapter_id = $1 AND scene_number < 0`, chapterID); err != nil {
		return fmt.Errorf("content: number scenes: %w", err)
	}
	return nil
}

// sceneWords returns the sum of the word counts of a chapter's scenes.
func sceneWords(ctx context.Context, q querier, chapterID string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(word_count), 0) FROM scenes WHERE chapter_id = $1`, chapterID).Scan(&n); err != nil {
		return 0, fmt.Errorf("content: count scene words: %w", err)
	}
	return n, nil
}

// includeSceneWords sets c.WordCount to the words of c's own content plus those of
// its scenes. It first takes the story's row lock, as every content write does, so
// the scenes cannot change before the transaction ends; call it before writing c.
func (s *Service) includeSceneWords(ctx context.Context, tx *sql.Tx, c *Chapter) error {
	if err := s.db.LockRow(ctx, tx, "books", c.StoryID); err != nil {
		return err
	}
	n, err := sceneWords(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	c.WordCount = c.Content.WordCount() + n
	return nil
}

// chapterOwnWords returns the words of a chapter's own content: its word count
// less its scenes'. Call it under the story's lock, before changing the scenes.
func chapterOwnWords(ctx context.Context, tx *sql.Tx, chapterID string) (int, error) {
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT word_count FROM chapters WHERE id = $1`, chapterID).Scan(&total); err != nil {
		return 0, fmt.Errorf("content: read chapter word count: %w", err)
	}
	n, err := sceneWords(ctx, tx, chapterID)
	if err != nil {
		return 0, err
	}
	return max(total-n, 0), nil
}

// storeChapterWords sets a chapter's word count to own (the words of its own
// content) plus its scenes'.
func storeChapterWords(ctx context.Context, tx *sql.Tx, chapterID string, own int) error {
	n, err := sceneWords(ctx, tx, chapterID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE chapters SET word_count = $1 WHERE id = $2`, own+n, chapterID); err != nil {
		return fmt.Errorf("content: update chapter word count: %w", err)
	}
	return nil
}

// sceneAccess loads a scene with its story and the caller's role; readers may only
// see scenes of completed chapters of published stories.
func (s *Service) sceneAccess(ctx context.Context, q querier, p *auth.Principal, id string) (*Scene, *Story, Role, error) {
	sc, chapterStatus, err := getScene(ctx, q, id)
	if err != nil {
		return nil, nil, RoleNone, err
	}
	st, role, err := storyFor(ctx, q, sc.StoryID, userOf(p))
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, nil, RoleNone, err
	}
	if err != nil || role < RoleReader || (role == RoleReader && chapterStatus != "completed") {
		return nil, nil, RoleNone, errs.E(errs.NotFound, "scene not found")
	}
	return sc, st, role, nil
}

// writableScene loads a scene the caller (at least an editor) is about to change,
// takes the story's lock and returns the scene as it is under that lock.
func (s *Service) writableScene(ctx context.Context, tx *sql.Tx, p auth.Principal, id, action string) (*Scene, *Story, error) {
	_, st, role, err := s.sceneAccess(ctx, tx, &p, id)
	if err != nil {
		return nil, nil, err
	}
	if err := need(role, RoleEditor, action); err != nil {
		return nil, nil, err
	}
	if err := storyNotLive(st); err != nil {
		return nil, nil, err
	}
	if err := s.db.LockRow(ctx, tx, "books", st.ID); err != nil {
		return nil, nil, err
	}
	sc, _, err := getScene(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return sc, st, nil
}

// sceneChapter loads a chapter (without its content) for work on its scenes, with
// its story and the caller's role; readers see only completed chapters.
func (s *Service) sceneChapter(ctx context.Context, q querier, p *auth.Principal, id string) (*Chapter, *Story, Role, error) {
	c, err := scanChapter(q.QueryRowContext(ctx, `SELECT `+chapterListCols+` FROM chapters c WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, RoleNone, errs.E(errs.NotFound, "chapter not found")
	}
	if err != nil {
		return nil, nil, RoleNone, fmt.Errorf("content: load chapter: %w", err)
	}
	st, role, err := storyFor(ctx, q, c.StoryID, userOf(p))
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, nil, RoleNone, err
	}
	if err != nil || role < RoleReader || (role == RoleReader && c.Status != "completed") {
		return nil, nil, RoleNone, errs.E(errs.NotFound, "chapter not found")
	}
	return c, st, role, nil
}

// writableChapter loads a chapter whose scenes the caller (at least an editor) is
// about to change and takes its story's lock.
func (s *Service) writableChapter(ctx context.Context, tx *sql.Tx, p auth.Principal, id, action string) (*Chapter, error) {
	c, st, role, err := s.sceneChapter(ctx, tx, &p, id)
	if err != nil {
		return nil, err
	}
	if err := need(role, RoleEditor, action); err != nil {
		return nil, err
	}
	if err := storyNotLive(st); err != nil {
		return nil, err
	}
	if err := s.db.LockRow(ctx, tx, "books", st.ID); err != nil {
		return nil, err
	}
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM chapters WHERE id = $1`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "chapter not found") // deleted while we waited
	} else if err != nil {
		return nil, fmt.Errorf("content: load chapter: %w", err)
	}
	return c, nil
}

// checkPOV checks that characterID ("" for none) is a character of the story.
func checkPOV(ctx context.Context, q querier, storyID, characterID string) error {
	if characterID == "" {
		return nil
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM characters WHERE id = $1 AND book_id = $2`, characterID, storyID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field("pov_character_id", "pov_character_id is not a character of this story")
	}
	if err != nil {
		return fmt.Errorf("content: find pov character: %w", err)
	}
	return nil
}

// CreateScene adds a scene to a chapter, at the end or at in.Position (1-based).
func (s *Service) CreateScene(ctx context.Context, p auth.Principal, chapterID string, in SceneInput) (*Scene, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new scene has no version")
	}
	sc := &Scene{ID: uuid.NewString(), ChapterID: chapterID, Card: SceneCard{Beats: []string{}},
		Metadata: json.RawMessage("{}"), Version: 1}
	if _, err := in.apply(sc); err != nil {
		return nil, err
	}
	doc, _, err := in.document()
	if err != nil {
		return nil, err
	}
	sc.Content, sc.PlainText, sc.WordCount = doc, doc.PlainText(), doc.WordCount()
	body, err := marshalDoc(doc)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.writableChapter(ctx, tx, p, chapterID, "add scenes")
		if err != nil {
			return err
		}
		sc.StoryID = c.StoryID
		if err := checkPOV(ctx, tx, c.StoryID, sc.POVCharacterID); err != nil {
			return err
		}
		own, err := chapterOwnWords(ctx, tx, chapterID)
		if err != nil {
			return err
		}
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scenes WHERE chapter_id = $1`, chapterID).Scan(&count); err != nil {
			return fmt.Errorf("content: count scenes: %w", err)
		}
		sc.Number = count + 1
		if in.Position != nil {
			if *in.Position < 1 || *in.Position > count+1 {
				return errs.Field("position", "position must be from 1 to %d", count+1)
			}
			sc.Number = *in.Position
			if err := shiftScenes(ctx, tx, chapterID, sc.Number, 1); err != nil {
				return err
			}
		}
		now := s.nowUTC()
		sc.CreatedAt, sc.UpdatedAt = now, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenes (id, chapter_id, scene_number, title, content, plain_text,
			word_count, pov_character, pov_character_id, setting, card, metadata, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $9, $10, $11, 1, $12, $12)`,
			sc.ID, chapterID, sc.Number, sc.Title, body, sc.PlainText, sc.WordCount, nullable(sc.POVCharacterID),
			sc.Setting, marshalCard(sc.Card), string(sc.Metadata), now); err != nil {
			return fmt.Errorf("content: insert scene: %w", err)
		}
		if len(doc) > 0 {
			if err := s.recordSceneVersion(ctx, tx, sc, p.UserID, "save", in.ChangeSummary, body); err != nil {
				return err
			}
		}
		if err := storeChapterWords(ctx, tx, chapterID, own); err != nil {
			return err
		}
		if err := refreshWordCount(ctx, tx, c.StoryID, now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "scene.created", AggregateID: sc.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "chapter_id": chapterID, "scene_number": sc.Number, "word_count": sc.WordCount}})
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// Scene returns a scene the caller may read.
func (s *Service) Scene(ctx context.Context, p *auth.Principal, id string) (*Scene, Role, error) {
	sc, _, role, err := s.sceneAccess(ctx, s.db, p, id)
	return sc, role, err
}

// Scenes lists a chapter's scenes without their content.
func (s *Service) Scenes(ctx context.Context, p *auth.Principal, chapterID string) ([]*Scene, error) {
	if _, _, _, err := s.sceneChapter(ctx, s.db, p, chapterID); err != nil {
		return nil, err
	}
	return listScenes(ctx, s.db, chapterID)
}

// UpdateScene saves a scene. in.Version (or ifMatch) must be the version the
// client edited; a stale one is a conflict that carries the current scene. A
// change of text records a version and updates the chapter's and story's counts.
func (s *Service) UpdateScene(ctx context.Context, p auth.Principal, id string, in SceneInput, ifMatch int) (*Scene, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	if in.Position != nil {
		return nil, errs.Field("position", "move scenes with PUT /api/chapters/{id}/scenes/order or POST /api/scenes/{id}/move")
	}
	doc, hasDoc, err := in.document()
	if err != nil {
		return nil, err
	}
	// Derive everything from the new document outside the write transaction.
	var (
		newBody, newText string
		newWords         int
	)
	if hasDoc {
		if newBody, err = marshalDoc(doc); err != nil {
			return nil, err
		}
		newText, newWords = doc.PlainText(), doc.WordCount()
	}
	var out *Scene
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		sc, _, err := s.writableScene(ctx, tx, p, id, "change scenes")
		if err != nil {
			return err
		}
		if sc.Version != expected {
			return versionConflict("the scene", sc.View(FormatJSON))
		}
		povChanged, err := in.apply(sc)
		if err != nil {
			return err
		}
		if povChanged {
			if err := checkPOV(ctx, tx, sc.StoryID, sc.POVCharacterID); err != nil {
				return err
			}
		}
		oldBody, err := marshalDoc(sc.Content)
		if err != nil {
			return err
		}
		body, own := oldBody, 0
		if hasDoc {
			if own, err = chapterOwnWords(ctx, tx, sc.ChapterID); err != nil {
				return err
			}
			body = newBody
			sc.Content, sc.PlainText, sc.WordCount = doc, newText, newWords
		}
		now := s.nowUTC()
		sc.UpdatedAt = now
		res, err := tx.ExecContext(ctx, `UPDATE scenes SET title = $1, content = $2, plain_text = $3, word_count = $4,
			pov_character_id = $5, setting = $6, card = $7, metadata = $8, updated_at = $9, version = version + 1
		WHERE id = $10 AND version = $11`,
			sc.Title, body, sc.PlainText, sc.WordCount, nullable(sc.POVCharacterID), sc.Setting, marshalCard(sc.Card),
			string(sc.Metadata), now, sc.ID, expected)
		if err != nil {
			return fmt.Errorf("content: save scene: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, _, err := getScene(ctx, tx, id)
			if err != nil {
				return err
			}
			return versionConflict("the scene", cur.View(FormatJSON))
		}
		sc.Version = expected + 1
		textChanged := body != oldBody
		if textChanged {
			if err := s.recordSceneVersion(ctx, tx, sc, p.UserID, "save", in.ChangeSummary, body); err != nil {
				return err
			}
			if err := storeChapterWords(ctx, tx, sc.ChapterID, own); err != nil {
				return err
			}
			if err := refreshWordCount(ctx, tx, sc.StoryID, now); err != nil {
				return err
			}
		}
		out = sc
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "scene.saved", AggregateID: sc.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": sc.StoryID, "chapter_id": sc.ChapterID, "version": sc.Version,
				"word_count": sc.WordCount, "text_changed": textChanged}})
	})
	return out, err
}

// DeleteScene removes a scene and its versions, and closes the gap in its
// chapter's numbering.
func (s *Service) DeleteScene(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		sc, _, err := s.writableScene(ctx, tx, p, id, "delete scenes")
		if err != nil {
			return err
		}
		own, err := chapterOwnWords(ctx, tx, sc.ChapterID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scenes WHERE id = $1`, id); err != nil {
			return fmt.Errorf("content: delete scene: %w", err)
		}
		if err := shiftScenes(ctx, tx, sc.ChapterID, sc.Number+1, -1); err != nil {
			return err
		}
		if err := storeChapterWords(ctx, tx, sc.ChapterID, own); err != nil {
			return err
		}
		now := s.nowUTC()
		if err := refreshWordCount(ctx, tx, sc.StoryID, now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "scene.deleted", AggregateID: sc.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": sc.StoryID, "chapter_id": sc.ChapterID, "scene_number": sc.Number}})
	})
}

// ReorderScenes renumbers a chapter's scenes in the order given, which must name
// every scene of the chapter exactly once.
func (s *Service) ReorderScenes(ctx context.Context, p auth.Principal, chapterID string, order []string) ([]*Scene, error) {
	var out []*Scene
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.writableChapter(ctx, tx, p, chapterID, "reorder scenes")
		if err != nil {
			return err
		}
		current, err := listScenes(ctx, tx, chapterID)
		if err != nil {
			return err
		}
		ids := make([]string, len(current))
		for i, sc := range current {
			ids[i] = sc.ID
		}
		if err := sameIDs("scene_ids", "scenes of the chapter", ids, order); err != nil {
			return err
		}
		if err := numberScenes(ctx, tx, chapterID, order); err != nil {
			return err
		}
		if err := outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "chapter.scenes_reordered", AggregateID: chapterID,
			ActorID: p.UserID, Payload: map[string]any{"story_id": c.StoryID, "order": order}}); err != nil {
			return err
		}
		out, err = listScenes(ctx, tx, chapterID)
		return err
	})
	return out, err
}

// sameIDs checks that order names each of current exactly once.
func sameIDs(field, what string, current, order []string) error {
	if len(order) != len(current) {
		return errs.Field(field, "%s must list all %d %s exactly once, got %d", field, len(current), what, len(order))
	}
	have := make(map[string]bool, len(current))
	for _, id := range current {
		have[id] = true
	}
	seen := make(map[string]bool, len(order))
	for i, id := range order {
		if !have[id] {
			return errs.Field(fmt.Sprintf("%s[%d]", field, i), "%q is not one of the %s", id, what)
		}
		if seen[id] {
			return errs.Field(fmt.Sprintf("%s[%d]", field, i), "%q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// MoveInput moves a scene to a chapter of the same story (possibly its own), at
// Position (1-based) or at the end.
type MoveInput struct {
	ChapterID string `json:"chapter_id"`
	Position  *int   `json:"position"`
}

// MoveScene moves a scene to another place in its chapter or to another chapter
// of the same story, renumbering both chapters without gaps and moving the scene's
// words from one chapter's count to the other's.
func (s *Service) MoveScene(ctx context.Context, p auth.Principal, id string, in MoveInput) (*Scene, error) {
	target, err := uuid.Parse(in.ChapterID)
	if err != nil || len(in.ChapterID) != 36 {
		return nil, errs.Field("chapter_id", "chapter_id must be the id (UUID) of a chapter of the same story")
	}
	targetID := target.String()
	var out *Scene
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		sc, _, err := s.writableScene(ctx, tx, p, id, "move scenes")
		if err != nil {
			return err
		}
		var storyID string
		err = tx.QueryRowContext(ctx, `SELECT book_id FROM chapters WHERE id = $1`, targetID).Scan(&storyID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && storyID != sc.StoryID) {
			return errs.Field("chapter_id", "chapter_id is not a chapter of this story")
		}
		if err != nil {
			return fmt.Errorf("content: load chapter: %w", err)
		}
		from, fromNumber := sc.ChapterID, sc.Number
		if targetID == from {
			err = s.moveWithinChapter(ctx, tx, sc, in.Position)
		} else {
			err = s.moveToChapter(ctx, tx, sc, targetID, in.Position)
		}
		if err != nil {
			return err
		}
		now := s.nowUTC()
		if err := refreshWordCount(ctx, tx, sc.StoryID, now); err != nil {
			return err
		}
		if err := outbox.Record(ctx, tx, now, outbox.Event{Topic: "scene.moved", AggregateID: sc.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": sc.StoryID, "from_chapter_id": from, "from_scene_number": fromNumber,
				"chapter_id": targetID, "scene_number": sc.Number}}); err != nil {
			return err
		}
		out, _, err = getScene(ctx, tx, id)
		return err
	})
	return out, err
}

func (s *Service) moveWithinChapter(ctx context.Context, tx *sql.Tx, sc *Scene, position *int) error {
	list, err := listScenes(ctx, tx, sc.ChapterID)
	if err != nil {
		return err
	}
	to := len(list)
	if position != nil {
		if *position < 1 || *position > len(list) {
			return errs.Field("position", "position must be from 1 to %d", len(list))
		}
		to = *position
	}
	order := make([]string, 0, len(list))
	for _, other := range list {
		if other.ID != sc.ID {
			order = append(order, other.ID)
		}
	}
	order = slices.Insert(order, to-1, sc.ID)
	sc.Number = to
	return numberScenes(ctx, tx, sc.ChapterID, order)
}

func (s *Service) moveToChapter(ctx context.Context, tx *sql.Tx, sc *Scene, targetID string, position *int) error {
	fromOwn, err := chapterOwnWords(ctx, tx, sc.ChapterID)
	if err != nil {
		return err
	}
	toOwn, err := chapterOwnWords(ctx, tx, targetID)
	if err != nil {
		return err
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scenes WHERE chapter_id = $1`, targetID).Scan(&count); err != nil {
		return fmt.Errorf("content: count scenes: %w", err)
	}
	to := count + 1
	if position != nil {
		if *position < 1 || *position > count+1 {
			return errs.Field("position", "position must be from 1 to %d", count+1)
		}
		to = *position
	}
	if err := shiftScenes(ctx, tx, targetID, to, 1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scenes SET chapter_id = $1, scene_number = $2 WHERE id = $3`,
		targetID, to, sc.ID); err != nil {
		return fmt.Errorf("content: move scene: %w", err)
	}
	if err := shiftScenes(ctx, tx, sc.ChapterID, sc.Number+1, -1); err != nil {
		return err
	}
	if err := storeChapterWords(ctx, tx, sc.ChapterID, fromOwn); err != nil {
		return err
	}
	if err := storeChapterWords(ctx, tx, targetID, toOwn); err != nil {
		return err
	}
	sc.ChapterID, sc.Number = targetID, to
	return nil
}
