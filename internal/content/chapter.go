package content

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/outbox"
)

var chapterStatuses = []string{"draft", "completed"}

// Chapter is one chapter of a story.
type Chapter struct {
	ID        string
	StoryID   string
	Number    int
	Title     string
	Content   document.Doc
	PlainText string
	WordCount int
	Status    string
	Synopsis  string
	Metadata  json.RawMessage
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ChapterView is a chapter as the API shows it. Content appears in exactly one of
// the formats the client asked for; lists carry none.
type ChapterView struct {
	ID        string          `json:"id"`
	StoryID   string          `json:"story_id"`
	Number    int             `json:"chapter_number"`
	Title     string          `json:"title"`
	Status    string          `json:"status"`
	Synopsis  string          `json:"synopsis"`
	WordCount int             `json:"word_count"`
	Metadata  json.RawMessage `json:"metadata"`
	Version   int             `json:"version"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Rendered
}

// Rendered is a document in the one format the client asked for (none in lists).
type Rendered struct {
	Content  *document.Doc `json:"content,omitempty"`
	Markdown *string       `json:"markdown,omitempty"`
	Fountain *string       `json:"fountain,omitempty"`
	Text     *string       `json:"text,omitempty"`
}

// render returns d (whose plain text is plain) in format.
func render(d document.Doc, plain, format string) Rendered {
	var r Rendered
	switch format {
	case FormatJSON:
		if d == nil {
			d = document.Doc{}
		}
		r.Content = &d
	case FormatMarkdown:
		s := d.Markdown()
		r.Markdown = &s
	case FormatFountain:
		s := d.Fountain(nil)
		r.Fountain = &s
	case FormatText:
		r.Text = &plain
	}
	return r
}

// Content formats a client can send or ask for.
const (
	FormatJSON     = "json"
	FormatMarkdown = "markdown"
	FormatFountain = "fountain"
	FormatText     = "text"
	formatNone     = ""
)

// View returns the chapter in the given format (formatNone: without content).
func (c *Chapter) View(format string) ChapterView {
	v := ChapterView{ID: c.ID, StoryID: c.StoryID, Number: c.Number, Title: c.Title, Status: c.Status,
		Synopsis: c.Synopsis, WordCount: c.WordCount, Metadata: c.Metadata, Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	v.Rendered = render(c.Content, c.PlainText, format)
	return v
}

// ChapterInput is a new chapter or a change to one; nil fields are absent. Content
// comes in one of three forms: content (the JSON document), markdown or fountain.
type ChapterInput struct {
	Version       *int             `json:"version"`
	Title         *string          `json:"title"`
	Status        *string          `json:"status"`
	Synopsis      *string          `json:"synopsis"`
	Metadata      *json.RawMessage `json:"metadata"`
	Content       json.RawMessage  `json:"content"`
	Markdown      *string          `json:"markdown"`
	Fountain      *string          `json:"fountain"`
	Position      *int             `json:"position"`
	ChangeSummary string           `json:"change_summary"`
}

// document returns the content carried by in, if any.
func (in *ChapterInput) document() (document.Doc, bool, error) {
	n := 0
	if len(in.Content) > 0 {
		n++
	}
	if in.Markdown != nil {
		n++
	}
	if in.Fountain != nil {
		n++
	}
	switch {
	case n > 1:
		return nil, false, errs.Field("content", "send content in one form only: content, markdown or fountain")
	case len(in.Content) > 0:
		d, err := document.Parse(in.Content)
		return d, err == nil, err
	case in.Markdown != nil:
		d, err := document.FromMarkdown(*in.Markdown)
		if err != nil {
			return nil, false, prefixField("markdown", err)
		}
		return d, true, nil
	case in.Fountain != nil:
		d, _, err := document.FromFountain(*in.Fountain)
		if err != nil {
			return nil, false, prefixField("fountain", err)
		}
		return d, true, nil
	}
	return nil, false, nil
}

// prefixField says which request field an import error is about: the document
// package reports "content" for the document it built.
func prefixField(field string, err error) error {
	var e *errs.Error
	if errors.As(err, &e) && (e.Field == "" || e.Field == "content") {
		e.Field = field
	}
	return err
}

// apply copies in's metadata fields onto c.
func (in *ChapterInput) apply(c *Chapter) error {
	var err error
	if in.Title != nil {
		if c.Title, err = cleanText("title", *in.Title, maxTitle, false); err != nil {
			return err
		}
	}
	if in.Synopsis != nil {
		if c.Synopsis, err = cleanText("synopsis", *in.Synopsis, maxLongText, true); err != nil {
			return err
		}
	}
	if in.Status != nil {
		if err := oneOf("status", *in.Status, chapterStatuses); err != nil {
			return err
		}
		c.Status = *in.Status
	}
	if in.Metadata != nil {
		if c.Metadata, err = jsonObject("metadata", *in.Metadata); err != nil {
			return err
		}
	}
	if len(in.ChangeSummary) > 500 {
		return errs.Field("change_summary", "change_summary is longer than 500 characters")
	}
	return nil
}

const chapterCols = `c.id, c.book_id, c.chapter_number, c.title, c.content, c.plain_text, c.word_count, c.status,
	c.synopsis, c.metadata, c.version, c.created_at, c.updated_at`

// chapterListCols reads everything but the (large) content and plain text.
const chapterListCols = `c.id, c.book_id, c.chapter_number, c.title, '[]', '', c.word_count, c.status,
	c.synopsis, c.metadata, c.version, c.created_at, c.updated_at`

func scanChapter(row interface{ Scan(...any) error }) (*Chapter, error) {
	var (
		c       Chapter
		content []byte
		meta    []byte
	)
	if err := row.Scan(&c.ID, &c.StoryID, &c.Number, &c.Title, &content, &c.PlainText, &c.WordCount, &c.Status,
		&c.Synopsis, &meta, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(content, &c.Content); err != nil {
		return nil, fmt.Errorf("content: chapter %s: stored document does not decode: %w", c.ID, err)
	}
	c.Metadata = meta
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func getChapter(ctx context.Context, q querier, id string) (*Chapter, error) {
	c, err := scanChapter(q.QueryRowContext(ctx, `SELECT `+chapterCols+` FROM chapters c WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "chapter not found")
	}
	if err != nil {
		return nil, fmt.Errorf("content: load chapter: %w", err)
	}
	return c, nil
}

func listChapters(ctx context.Context, q querier, storyID string, completedOnly bool) ([]*Chapter, error) {
	query := `SELECT ` + chapterListCols + ` FROM chapters c WHERE c.book_id = $1`
	if completedOnly {
		query += ` AND c.status = 'completed'`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY c.chapter_number`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: list chapters: %w", err)
	}
	defer rows.Close()
	var out []*Chapter
	for rows.Next() {
		c, err := scanChapter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// marshalDoc encodes a document for storage. It calls MarshalJSON directly:
// json.Marshal would re-scan and compact the already canonical output.
func marshalDoc(d document.Doc) (string, error) {
	if d == nil {
		d = document.Doc{}
	}
	b, err := d.MarshalJSON()
	return string(b), err
}

// shiftChapters moves the numbers of a story's chapters numbered from or above
// from by delta, in two steps through negative numbers so that the unique
// (book_id, chapter_number) constraint holds after every row.
func shiftChapters(ctx context.Context, tx *sql.Tx, storyID string, from, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE chapters SET chapter_number = -(chapter_number + $1)
	WHERE book_id = $2 AND chapter_number >= $3`, delta, storyID, from); err != nil {
		return fmt.Errorf("content: renumber chapters: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE chapters SET chapter_number = -chapter_number
	WHERE book_id = $1 AND chapter_number < 0`, storyID); err != nil {
		return fmt.Errorf("content: renumber chapters: %w", err)
	}
	return nil
}

// refreshWordCount sets the story's word count to the sum of its chapters'.
func refreshWordCount(ctx context.Context, tx *sql.Tx, storyID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE books SET word_count = (SELECT COALESCE(SUM(word_count), 0) FROM chapters WHERE book_id = $1),
		updated_at = $2 WHERE id = $1`, storyID, now)
	if err != nil {
		return fmt.Errorf("content: update word count: %w", err)
	}
	return nil
}

// chapterAccess loads a chapter with its story and the caller's role; readers may
// only see completed chapters of published stories.
func (s *Service) chapterAccess(ctx context.Context, q querier, p *auth.Principal, id string) (*Chapter, *Story, Role, error) {
	c, err := getChapter(ctx, q, id)
	if err != nil {
		return nil, nil, RoleNone, err
	}
	st, role, err := storyFor(ctx, q, c.StoryID, userOf(p))
	if err != nil || role < RoleReader || (role == RoleReader && c.Status != "completed") {
		return nil, nil, RoleNone, errs.E(errs.NotFound, "chapter not found")
	}
	return c, st, role, nil
}

// editableChapter is writableChapter (access, role, trash and the story's lock)
// followed by a fresh read of the whole chapter under that lock, so its number,
// version and content cannot change before the write.
func (s *Service) editableChapter(ctx context.Context, tx *sql.Tx, p auth.Principal, id, action string) (*Chapter, error) {
	if _, err := s.writableChapter(ctx, tx, p, id, action); err != nil {
		return nil, err
	}
	return getChapter(ctx, tx, id)
}

// CreateChapter adds a chapter, at the end or at in.Position (1-based).
func (s *Service) CreateChapter(ctx context.Context, p auth.Principal, storyID string, in ChapterInput) (*Chapter, error) {
	if in.Version != nil {
		return nil, errs.Field("version", "a new chapter has no version")
	}
	c := &Chapter{ID: uuid.NewString(), StoryID: storyID, Status: "draft", Metadata: json.RawMessage("{}"), Version: 1}
	if err := in.apply(c); err != nil {
		return nil, err
	}
	doc, _, err := in.document()
	if err != nil {
		return nil, err
	}
	c.Content = doc
	c.PlainText, c.WordCount = doc.PlainText(), doc.WordCount()
	body, err := marshalDoc(doc)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, storyID, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleEditor, "add chapters"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		if err := s.db.LockRow(ctx, tx, "books", storyID); err != nil {
			return err
		}
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chapters WHERE book_id = $1`, storyID).Scan(&count); err != nil {
			return err
		}
		c.Number = count + 1
		if in.Position != nil {
			if *in.Position < 1 || *in.Position > count+1 {
				return errs.Field("position", "position must be from 1 to %d", count+1)
			}
			c.Number = *in.Position
			if err := shiftChapters(ctx, tx, storyID, c.Number, 1); err != nil {
				return err
			}
		}
		now := s.nowUTC()
		c.CreatedAt, c.UpdatedAt = now, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO chapters (id, book_id, chapter_number, title, content, plain_text,
			word_count, status, synopsis, metadata, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)`,
			c.ID, storyID, c.Number, c.Title, body, c.PlainText, c.WordCount, c.Status, c.Synopsis, string(c.Metadata), now); err != nil {
			return fmt.Errorf("content: insert chapter: %w", err)
		}
		if len(doc) > 0 {
			if err := s.recordVersion(ctx, tx, c, p.UserID, "save", in.ChangeSummary, body); err != nil {
				return err
			}
		}
		if err := refreshWordCount(ctx, tx, storyID, now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "chapter.created", AggregateID: c.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": storyID, "chapter_number": c.Number, "word_count": c.WordCount}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Chapter returns a chapter the caller may read.
func (s *Service) Chapter(ctx context.Context, p *auth.Principal, id string) (*Chapter, Role, error) {
	c, _, role, err := s.chapterAccess(ctx, s.db, p, id)
	return c, role, err
}

// Chapters lists a story's chapters without their content.
func (s *Service) Chapters(ctx context.Context, p *auth.Principal, storyID string) ([]*Chapter, error) {
	_, role, err := storyFor(ctx, s.db, storyID, userOf(p))
	if err != nil {
		return nil, err
	}
	if err := need(role, RoleReader, "read it"); err != nil {
		return nil, err
	}
	return listChapters(ctx, s.db, storyID, role == RoleReader)
}

// UpdateChapter saves a chapter. in.Version (or ifMatch) must be the version the
// client edited; a stale one is a conflict that carries the current chapter, so no
// save ever overwrites another silently. A change of text records a version.
func (s *Service) UpdateChapter(ctx context.Context, p auth.Principal, id string, in ChapterInput, ifMatch int) (*Chapter, error) {
	expected, err := expectedVersion(in.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	if in.Position != nil {
		return nil, errs.Field("position", "move chapters with PUT /api/stories/{id}/chapters/order")
	}
	doc, hasDoc, err := in.document()
	if err != nil {
		return nil, err
	}
	// Derive everything from the new document before the transaction: on SQLite
	// the transaction holds the database's one write lock.
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
	var out *Chapter
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.editableChapter(ctx, tx, p, id, "change chapters")
		if err != nil {
			return err
		}
		if c.Version != expected {
			return versionConflict("the chapter", c.View(FormatJSON))
		}
		if err := in.apply(c); err != nil {
			return err
		}
		oldBody, err := marshalDoc(c.Content)
		if err != nil {
			return err
		}
		body := oldBody
		if hasDoc {
			body = newBody
			c.Content, c.PlainText, c.WordCount = doc, newText, newWords
		}
		now := s.nowUTC()
		c.UpdatedAt = now
		if err := s.includeSceneWords(ctx, tx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chapters SET title = $1, content = $2, plain_text = $3, word_count = $4,
			status = $5, synopsis = $6, metadata = $7, updated_at = $8, version = version + 1
		WHERE id = $9 AND version = $10`,
			c.Title, body, c.PlainText, c.WordCount, c.Status, c.Synopsis, string(c.Metadata), now, c.ID, expected)
		if err != nil {
			return fmt.Errorf("content: save chapter: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := getChapter(ctx, tx, id)
			if err != nil {
				return err
			}
			return versionConflict("the chapter", cur.View(FormatJSON))
		}
		c.Version = expected + 1
		textChanged := !bytes.Equal([]byte(body), []byte(oldBody))
		if textChanged {
			if err := s.recordVersion(ctx, tx, c, p.UserID, "save", in.ChangeSummary, body); err != nil {
				return err
			}
			if err := refreshWordCount(ctx, tx, c.StoryID, now); err != nil {
				return err
			}
		}
		out = c
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "chapter.saved", AggregateID: c.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "version": c.Version, "word_count": c.WordCount, "text_changed": textChanged}})
	})
	return out, err
}

// DeleteChapter removes a chapter and its scenes and versions, and closes the gap
// in the numbering.
func (s *Service) DeleteChapter(ctx context.Context, p auth.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.editableChapter(ctx, tx, p, id, "delete chapters")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM chapters WHERE id = $1`, id); err != nil {
			return fmt.Errorf("content: delete chapter: %w", err)
		}
		if err := shiftChapters(ctx, tx, c.StoryID, c.Number+1, -1); err != nil {
			return err
		}
		now := s.nowUTC()
		if err := refreshWordCount(ctx, tx, c.StoryID, now); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "chapter.deleted", AggregateID: c.ID, ActorID: p.UserID,
			Payload: map[string]any{"story_id": c.StoryID, "chapter_number": c.Number}})
	})
}

// ReorderChapters renumbers a story's chapters in the order given, which must name
// every chapter exactly once.
func (s *Service) ReorderChapters(ctx context.Context, p auth.Principal, storyID string, order []string) ([]*Chapter, error) {
	var out []*Chapter
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, storyID, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleEditor, "reorder chapters"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		if err := s.db.LockRow(ctx, tx, "books", storyID); err != nil {
			return err
		}
		current, err := listChapters(ctx, tx, storyID, false)
		if err != nil {
			return err
		}
		if err := samePermutation(current, order); err != nil {
			return err
		}
		for i, id := range order {
			if _, err := tx.ExecContext(ctx, `UPDATE chapters SET chapter_number = $1 WHERE id = $2`, -(i + 1), id); err != nil {
				return fmt.Errorf("content: reorder chapters: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chapters SET chapter_number = -chapter_number WHERE book_id = $1`, storyID); err != nil {
			return fmt.Errorf("content: reorder chapters: %w", err)
		}
		now := s.nowUTC()
		if err := outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.chapters_reordered", AggregateID: storyID, ActorID: p.UserID,
			Payload: map[string]any{"order": order}}); err != nil {
			return err
		}
		out, err = listChapters(ctx, tx, storyID, false)
		return err
	})
	return out, err
}

func samePermutation(current []*Chapter, order []string) error {
	if len(order) != len(current) {
		return errs.Field("chapter_ids", "chapter_ids must list all %d chapters of the story exactly once, got %d", len(current), len(order))
	}
	have := make(map[string]bool, len(current))
	for _, c := range current {
		have[c.ID] = true
	}
	seen := make(map[string]bool, len(order))
	for i, id := range order {
		if !have[id] {
			return errs.Field(fmt.Sprintf("chapter_ids[%d]", i), "%q is not a chapter of this story", id)
		}
		if seen[id] {
			return errs.Field(fmt.Sprintf("chapter_ids[%d]", i), "%q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}
