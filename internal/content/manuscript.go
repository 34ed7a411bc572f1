package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/document"
)

// Manuscript is a story's text as plain text, chapter by chapter and scene by
// scene, for assembling the context of a generation and for the long-form
// pipeline. It holds no documents: plain text is what a prompt reads.
type Manuscript struct {
	Story    *Story
	Chapters []ManuscriptChapter
}

// ManuscriptChapter is one chapter of a Manuscript. Text is the chapter's own
// text, without its scenes'.
type ManuscriptChapter struct {
	ID        string
	Number    int
	Title     string
	Status    string
	Synopsis  string
	Text      string
	WordCount int
	Version   int
	Scenes    []ManuscriptScene
}

// ManuscriptScene is one scene of a ManuscriptChapter.
type ManuscriptScene struct {
	ID             string
	Number         int
	Title          string
	Setting        string
	POVCharacterID string
	Card           SceneCard
	Text           string
	WordCount      int
	Version        int
}

// Manuscript loads a story's chapters and scenes in reading order. It checks no
// caller: whoever calls it has already decided that the story may be read.
func (s *Service) Manuscript(ctx context.Context, storyID string) (*Manuscript, error) {
	if _, err := uuid.Parse(storyID); err != nil {
		return nil, errNotFound()
	}
	st, err := getStoryRow(ctx, s.db, storyID)
	if err != nil {
		return nil, err
	}
	m := &Manuscript{Story: st}
	rows, err := s.db.QueryContext(ctx, `SELECT id, chapter_number, title, status, synopsis, plain_text, word_count, version
	FROM chapters WHERE book_id = $1 ORDER BY chapter_number`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: manuscript chapters: %w", err)
	}
	index := map[string]int{}
	for rows.Next() {
		var c ManuscriptChapter
		if err := rows.Scan(&c.ID, &c.Number, &c.Title, &c.Status, &c.Synopsis, &c.Text, &c.WordCount, &c.Version); err != nil {
			rows.Close()
			return nil, fmt.Errorf("content: manuscript chapters: %w", err)
		}
		index[c.ID] = len(m.Chapters)
		m.Chapters = append(m.Chapters, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("content: manuscript chapters: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT s.id, s.chapter_id, s.scene_number, s.title, s.setting, s.pov_character_id,
		s.card, s.plain_text, s.word_count, s.version
	FROM scenes s JOIN chapters c ON c.id = s.chapter_id WHERE c.book_id = $1
	ORDER BY c.chapter_number, s.scene_number`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: manuscript scenes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			sc        ManuscriptScene
			chapterID string
			pov       sql.NullString
			card      []byte
		)
		if err := rows.Scan(&sc.ID, &chapterID, &sc.Number, &sc.Title, &sc.Setting, &pov, &card, &sc.Text,
			&sc.WordCount, &sc.Version); err != nil {
			return nil, fmt.Errorf("content: manuscript scenes: %w", err)
		}
		if err := json.Unmarshal(card, &sc.Card); err != nil {
			return nil, fmt.Errorf("content: scene %s: stored card does not decode: %w", sc.ID, err)
		}
		if sc.Card.Beats == nil {
			sc.Card.Beats = []string{}
		}
		sc.POVCharacterID = pov.String
		i, ok := index[chapterID]
		if !ok {
			continue // a chapter created between the two queries
		}
		m.Chapters[i].Scenes = append(m.Chapters[i].Scenes, sc)
	}
	return m, rows.Err()
}

// getStoryRow loads a story whatever its state, or answers not found.
func getStoryRow(ctx context.Context, q querier, id string) (*Story, error) {
	st, _, err := storyFor(ctx, q, id, "")
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return st, err
}

// ChapterDocuments is a chapter's document and its scenes', in order.
type ChapterDocuments struct {
	ID     string
	Number int
	Title  string
	Doc    document.Doc
	Scenes []SceneDocument
}

// SceneDocument is a scene's document.
type SceneDocument struct {
	ID     string
	Number int
	Title  string
	Doc    document.Doc
}

// Documents loads the documents of a story's chapters and scenes. It checks no
// caller.
func (s *Service) Documents(ctx context.Context, storyID string) ([]ChapterDocuments, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, chapter_number, title, content FROM chapters
	WHERE book_id = $1 ORDER BY chapter_number`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: documents: %w", err)
	}
	var out []ChapterDocuments
	index := map[string]int{}
	for rows.Next() {
		var (
			c   ChapterDocuments
			raw []byte
		)
		if err := rows.Scan(&c.ID, &c.Number, &c.Title, &raw); err != nil {
			rows.Close()
			return nil, fmt.Errorf("content: documents: %w", err)
		}
		if err := json.Unmarshal(raw, &c.Doc); err != nil {
			rows.Close()
			return nil, fmt.Errorf("content: chapter %s: stored document does not decode: %w", c.ID, err)
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("content: documents: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT s.id, s.chapter_id, s.scene_number, s.title, s.content
	FROM scenes s JOIN chapters c ON c.id = s.chapter_id WHERE c.book_id = $1
	ORDER BY c.chapter_number, s.scene_number`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			sc        SceneDocument
			chapterID string
			raw       []byte
		)
		if err := rows.Scan(&sc.ID, &chapterID, &sc.Number, &sc.Title, &raw); err != nil {
			return nil, fmt.Errorf("content: documents: %w", err)
		}
		if err := json.Unmarshal(raw, &sc.Doc); err != nil {
			return nil, fmt.Errorf("content: scene %s: stored document does not decode: %w", sc.ID, err)
		}
		if i, ok := index[chapterID]; ok {
			out[i].Scenes = append(out[i].Scenes, sc)
		}
	}
	return out, rows.Err()
}

// StoryRecord loads a story whatever its state, checking no caller.
func (s *Service) StoryRecord(ctx context.Context, storyID string) (*Story, error) {
	if _, err := uuid.Parse(storyID); err != nil {
		return nil, errNotFound()
	}
	return getStoryRow(ctx, s.db, storyID)
}

// TextVersions lists the id and version of every chapter and scene of a story
// in reading order ("c<id>:<version>|s<id>:<version>…"), without reading their
// text: it changes whenever any of the text does.
func (s *Service) TextVersions(ctx context.Context, storyID string) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT 'c' || c.id, c.version, c.chapter_number, 0 FROM chapters c WHERE c.book_id = $1
	UNION ALL
	SELECT 's' || sc.id, sc.version, c.chapter_number, sc.scene_number FROM scenes sc JOIN chapters c ON c.id = sc.chapter_id
	WHERE c.book_id = $1
	ORDER BY 3, 4`, storyID)
	if err != nil {
		return "", fmt.Errorf("content: text versions: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var (
			id              string
			version, ch, sc int
		)
		if err := rows.Scan(&id, &version, &ch, &sc); err != nil {
			return "", fmt.Errorf("content: text versions: %w", err)
		}
		fmt.Fprintf(&b, "|%s:%d", id, version)
	}
	return b.String(), rows.Err()
}
