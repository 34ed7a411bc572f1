package generation

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/errs"
)

// Page sizes of history.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

func pageSize(n int) (int, error) {
	if n == 0 {
		return DefaultPageSize, nil
	}
	if n < 1 || n > MaxPageSize {
		return 0, errs.Field("limit", "limit must be between 1 and %d", MaxPageSize)
	}
	return n, nil
}

// viewable loads a story for a caller who must be one of its collaborators.
func (s *Service) viewable(ctx context.Context, p auth.Principal, storyID string) (*content.Story, content.Role, error) {
	st, role, err := s.content.Story(ctx, &p, storyID)
	if err != nil {
		return nil, content.RoleNone, err
	}
	if role < content.RoleViewer {
		return nil, content.RoleNone, errs.E(errs.NotFound, "story not found")
	}
	return st, role, nil
}

// StoryHistory lists a story's generations, newest first, for its collaborators.
func (s *Service) StoryHistory(ctx context.Context, p auth.Principal, storyID string, f HistoryFilter) (*HistoryPage, error) {
	if _, _, err := s.viewable(ctx, p, storyID); err != nil {
		return nil, err
	}
	var err error
	if f.Limit, err = pageSize(f.Limit); err != nil {
		return nil, err
	}
	f.StoryID, f.UserID = storyID, ""
	return s.store.list(ctx, f)
}

// UserHistory lists the caller's own generations across stories, newest first.
func (s *Service) UserHistory(ctx context.Context, p auth.Principal, f HistoryFilter) (*HistoryPage, error) {
	var err error
	if f.Limit, err = pageSize(f.Limit); err != nil {
		return nil, err
	}
	f.UserID = p.UserID
	return s.store.list(ctx, f)
}

// Generation returns one generation with its prompt and manifest: to the user
// who ran it, and to the collaborators of its story.
func (s *Service) Generation(ctx context.Context, p auth.Principal, id string) (*Generation, error) {
	g, err := s.store.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if g.UserID == p.UserID {
		return g, nil
	}
	if g.StoryID != nil {
		if _, _, err := s.viewable(ctx, p, *g.StoryID); err == nil {
			return g, nil
		}
	}
	return nil, errs.E(errs.NotFound, "generation not found")
}

// AcceptInput names where accepted text goes: the end of a chapter's own text
// or of a scene, at the version the writer last saw.
type AcceptInput struct {
	ChapterID string `json:"chapter_id"`
	SceneID   string `json:"scene_id"`
	Version   *int   `json:"version"`
}

// Accepted is the result of accepting a generation.
type Accepted struct {
	Generation *Generation `json:"generation"`
	ChapterID  string      `json:"chapter_id,omitempty"`
	SceneID    string      `json:"scene_id,omitempty"`
	Version    int         `json:"version"`
	WordCount  int         `json:"word_count"`
}

// Accept appends a completed prose generation to a chapter or scene of its story,
// every word marked with the generation's id (its provenance). The caller must
// be an editor; the version must match, as for any save.
func (s *Service) Accept(ctx context.Context, p auth.Principal, id string, in AcceptInput) (*Accepted, error) {
	if (in.ChapterID == "") == (in.SceneID == "") {
		return nil, errs.Field("chapter_id", "send exactly one of chapter_id and scene_id")
	}
	if in.Version == nil {
		return nil, errs.Field("version", "version is required: the version of the chapter or scene you last saw")
	}
	for field, v := range map[string]string{"chapter_id": in.ChapterID, "scene_id": in.SceneID} {
		if _, err := uuid.Parse(v); v != "" && err != nil {
			return nil, errs.Field(field, "%s must be a UUID", field)
		}
	}
	g, err := s.Generation(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if g.StoryID == nil {
		return nil, errs.E(errs.Conflict, "the story of this generation was deleted")
	}
	if g.Status != StatusCompleted || !Prose(g.Mode) {
		return nil, errs.E(errs.Conflict, "only a completed %s generation can be accepted into the text; this one is a %s %s",
			"prose", g.Status, g.Mode)
	}
	st, role, err := s.viewable(ctx, p, *g.StoryID)
	if err != nil {
		return nil, err
	}
	if role < content.RoleEditor {
		return nil, errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to change its text", role)
	}
	doc, err := generatedDoc(st.ContentType, g)
	if err != nil {
		return nil, errs.E(errs.Conflict, "the generated text cannot be turned into a document: %v", err)
	}
	out := &Accepted{Generation: g, ChapterID: in.ChapterID, SceneID: in.SceneID}
	summary := "accepted AI generation " + g.ID
	if in.SceneID != "" {
		sc, _, err := s.content.Scene(ctx, &p, in.SceneID)
		if err != nil {
			return nil, err
		}
		if sc.StoryID != *g.StoryID {
			return nil, errs.Field("scene_id", "scene_id names a scene of another story")
		}
		raw, err := json.Marshal(append(sc.Content, doc...))
		if err != nil {
			return nil, fmt.Errorf("generation: accept: %w", err)
		}
		updated, err := s.content.UpdateScene(ctx, p, in.SceneID, content.SceneInput{Version: in.Version, Content: raw, ChangeSummary: summary}, 0)
		if err != nil {
			return nil, err
		}
		out.Version, out.WordCount = updated.Version, updated.WordCount
	} else {
		c, _, err := s.content.Chapter(ctx, &p, in.ChapterID)
		if err != nil {
			return nil, err
		}
		if c.StoryID != *g.StoryID {
			return nil, errs.Field("chapter_id", "chapter_id names a chapter of another story")
		}
		raw, err := json.Marshal(append(c.Content, doc...))
		if err != nil {
			return nil, fmt.Errorf("generation: accept: %w", err)
		}
		updated, err := s.content.UpdateChapter(ctx, p, in.ChapterID, content.ChapterInput{Version: in.Version, Content: raw, ChangeSummary: summary}, 0)
		if err != nil {
			return nil, err
		}
		out.Version, out.WordCount = updated.Version, updated.WordCount
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	if _, err := s.db.ExecContext(ctx, `UPDATE generation_history SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL`,
		g.ID, now); err != nil {
		return nil, fmt.Errorf("generation: mark accepted: %w", err)
	}
	if g.AcceptedAt == nil {
		g.AcceptedAt = &now
	}
	return out, nil
}

// ChapterProvenance says how much of a chapter (with its scenes) the AI wrote.
type ChapterProvenance struct {
	ChapterID   string   `json:"chapter_id"`
	Number      int      `json:"chapter_number"`
	Title       string   `json:"title"`
	Words       int      `json:"words"`
	AIWords     int      `json:"ai_words"`
	AIPercent   float64  `json:"ai_percent"`
	Generations []string `json:"generations"`
}

// Provenance is the AI-written share of a story, chapter by chapter: what KDP
// and other stores ask authors to declare.
type Provenance struct {
	StoryID   string              `json:"story_id"`
	Words     int                 `json:"words"`
	AIWords   int                 `json:"ai_words"`
	AIPercent float64             `json:"ai_percent"`
	Chapters  []ChapterProvenance `json:"chapters"`
}

// Provenance counts the words marked as AI-written in each chapter of a story.
func (s *Service) Provenance(ctx context.Context, p auth.Principal, storyID string) (*Provenance, error) {
	if _, _, err := s.viewable(ctx, p, storyID); err != nil {
		return nil, err
	}
	docs, err := s.content.Documents(ctx, storyID)
	if err != nil {
		return nil, err
	}
	out := &Provenance{StoryID: storyID, Chapters: []ChapterProvenance{}}
	for _, c := range docs {
		cp := ChapterProvenance{ChapterID: c.ID, Number: c.Number, Title: c.Title, Generations: []string{}}
		counts := c.Doc.Provenance()
		for _, sc := range c.Scenes {
			for k, v := range sc.Doc.Provenance() {
				counts[k] += v
			}
		}
		for gen, n := range counts {
			cp.Words += n
			if gen != "" {
				cp.AIWords += n
				cp.Generations = append(cp.Generations, gen)
			}
		}
		sort.Strings(cp.Generations)
		cp.AIPercent = percent(cp.AIWords, cp.Words)
		out.Words += cp.Words
		out.AIWords += cp.AIWords
		out.Chapters = append(out.Chapters, cp)
	}
	out.AIPercent = percent(out.AIWords, out.Words)
	return out, nil
}

// generatedDoc turns a generation's text into a document (Fountain for scripts,
// Markdown for prose) with every word marked as written by that generation.
func generatedDoc(contentType string, g *Generation) (document.Doc, error) {
	var (
		doc document.Doc
		err error
	)
	if isScript(contentType) {
		doc, _, err = document.FromFountain(g.Text)
	} else {
		doc, err = document.FromMarkdown(g.Text)
	}
	if err != nil {
		return nil, err
	}
	doc.MarkAI(g.ID)
	return doc, nil
}

func percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(int(float64(part)*1000/float64(whole)+0.5)) / 10
}
