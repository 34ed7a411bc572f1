package generation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// The outcomes of a generation.
const (
	StatusRunning   = "running"
	StatusCompleted = "completed"
	StatusPartial   = "partial" // the stream broke off; the text is a draft
	StatusFailed    = "failed"
)

// Generation is one call to a model, as history keeps it.
type Generation struct {
	ID               string          `json:"id"`
	UserID           string          `json:"user_id"`
	StoryID          *string         `json:"story_id"`
	ChapterID        *string         `json:"chapter_id"`
	SceneID          *string         `json:"scene_id"`
	PipelineID       *string         `json:"pipeline_id"`
	Mode             string          `json:"mode"`
	Status           string          `json:"status"`
	Provider         string          `json:"provider"`
	Offline          bool            `json:"offline"`
	Model            string          `json:"model"`
	Prompt           string          `json:"prompt,omitempty"`
	Manifest         json.RawMessage `json:"manifest,omitempty"`
	Text             string          `json:"text"`
	StopReason       string          `json:"stop_reason"`
	InputTokens      int             `json:"input_tokens"`
	OutputTokens     int             `json:"output_tokens"`
	CacheReadTokens  int             `json:"cache_read_tokens"`
	CacheWriteTokens int             `json:"cache_write_tokens"`
	TokensUsed       int             `json:"tokens_used"`
	CostMicros       int64           `json:"cost_micros"`
	CostUSD          float64         `json:"cost_usd"`
	LatencyMS        int             `json:"latency_ms"`
	RequestID        string          `json:"request_id"`
	Error            string          `json:"error"`
	AcceptedAt       *time.Time      `json:"accepted_at"`
	CreatedAt        time.Time       `json:"created_at"`
}

const genCols = `id, user_id, book_id, chapter_id, scene_id, pipeline_id, mode, status, provider, model_used, prompt,
	manifest, generated_content, stop_reason, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
	tokens_used, cost_micros, generation_time_ms, request_id, error, accepted_at, created_at`

// genListCols leaves out the prompt and manifest, which can be large.
const genListCols = `id, user_id, book_id, chapter_id, scene_id, pipeline_id, mode, status, provider, model_used, '',
	'{}', generated_content, stop_reason, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
	tokens_used, cost_micros, generation_time_ms, request_id, error, accepted_at, created_at`

func scanGeneration(row interface{ Scan(...any) error }) (*Generation, error) {
	var (
		g                              Generation
		book, chapter, scene, pipeline sql.NullString
		manifest                       []byte
		accepted                       sql.NullTime
	)
	if err := row.Scan(&g.ID, &g.UserID, &book, &chapter, &scene, &pipeline, &g.Mode, &g.Status, &g.Provider, &g.Model,
		&g.Prompt, &manifest, &g.Text, &g.StopReason, &g.InputTokens, &g.OutputTokens, &g.CacheReadTokens,
		&g.CacheWriteTokens, &g.TokensUsed, &g.CostMicros, &g.LatencyMS, &g.RequestID, &g.Error, &accepted, &g.CreatedAt); err != nil {
		return nil, err
	}
	g.StoryID, g.ChapterID, g.SceneID, g.PipelineID = ptr(book), ptr(chapter), ptr(scene), ptr(pipeline)
	if len(manifest) > 2 {
		g.Manifest = manifest
	}
	if accepted.Valid {
		t := accepted.Time.UTC()
		g.AcceptedAt = &t
	}
	g.CreatedAt = g.CreatedAt.UTC()
	g.Offline = g.Provider == "offline"
	g.CostUSD = float64(g.CostMicros) / 1e6
	return &g, nil
}

func ptr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

type store struct{ db *sqldb.DB }

func (st store) insertRunning(ctx context.Context, g *Generation, reserved int64) error {
	_, err := st.db.ExecContext(ctx, `INSERT INTO generation_history (id, user_id, book_id, chapter_id, scene_id,
		pipeline_id, mode, status, provider, model_used, prompt, manifest, reserved_tokens, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		g.ID, g.UserID, deref(g.StoryID), deref(g.ChapterID), deref(g.SceneID), deref(g.PipelineID), g.Mode,
		StatusRunning, g.Provider, g.Model, g.Prompt, string(g.Manifest), reserved, g.CreatedAt)
	if err != nil {
		return fmt.Errorf("generation: record %s: %w", g.ID, err)
	}
	return nil
}

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func (st store) finish(ctx context.Context, g *Generation) error {
	_, err := st.db.ExecContext(ctx, `UPDATE generation_history SET status = $2, provider = $3, model_used = $4,
		generated_content = $5, stop_reason = $6, input_tokens = $7, output_tokens = $8, cache_read_tokens = $9,
		cache_write_tokens = $10, tokens_used = $11, cost_micros = $12, generation_time_ms = $13, request_id = $14,
		error = $15, reserved_tokens = 0 WHERE id = $1`,
		g.ID, g.Status, g.Provider, g.Model, g.Text, g.StopReason, g.InputTokens, g.OutputTokens, g.CacheReadTokens,
		g.CacheWriteTokens, g.TokensUsed, g.CostMicros, g.LatencyMS, g.RequestID, g.Error)
	if err != nil {
		return fmt.Errorf("generation: finish %s: %w", g.ID, err)
	}
	return nil
}

func (st store) get(ctx context.Context, id string) (*Generation, error) {
	g, err := scanGeneration(st.db.QueryRowContext(ctx, `SELECT `+genCols+` FROM generation_history WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "generation not found")
	}
	if err != nil {
		return nil, fmt.Errorf("generation: load %s: %w", id, err)
	}
	return g, nil
}

// HistoryFilter selects generations.
type HistoryFilter struct {
	StoryID, ChapterID, SceneID, UserID, PipelineID string
	// Before is a cursor: only generations created before the one it names.
	Before string
	Limit  int
}

// HistoryPage is one page of history, newest first.
type HistoryPage struct {
	Items      []*Generation `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

func (st store) list(ctx context.Context, f HistoryFilter) (*HistoryPage, error) {
	var (
		where []string
		args  []any
	)
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.StoryID != "" {
		arg("book_id = ?", f.StoryID)
	}
	if f.ChapterID != "" {
		arg("chapter_id = ?", f.ChapterID)
	}
	if f.SceneID != "" {
		arg("scene_id = ?", f.SceneID)
	}
	if f.UserID != "" {
		arg("user_id = ?", f.UserID)
	}
	if f.PipelineID != "" {
		arg("pipeline_id = ?", f.PipelineID)
	}
	if f.Before != "" {
		var at time.Time
		err := st.db.QueryRowContext(ctx, `SELECT created_at FROM generation_history WHERE id = $1`, f.Before).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.Field("cursor", "cursor names no generation")
		}
		if err != nil {
			return nil, fmt.Errorf("generation: cursor: %w", err)
		}
		args = append(args, at, f.Before)
		where = append(where, fmt.Sprintf("(created_at < $%d OR (created_at = $%d AND id < $%d))", len(args)-1, len(args)-1, len(args)))
	}
	q := `SELECT ` + genListCols + ` FROM generation_history`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit+1)
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT $%d`, len(args))
	rows, err := st.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("generation: history: %w", err)
	}
	defer rows.Close()
	page := &HistoryPage{Items: []*Generation{}}
	for rows.Next() {
		g, err := scanGeneration(rows)
		if err != nil {
			return nil, fmt.Errorf("generation: history: %w", err)
		}
		page.Items = append(page.Items, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("generation: history: %w", err)
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = page.Items[f.Limit-1].ID
	}
	return page, nil
}

// summaries returns the stored summaries of a story's chapters and scenes that
// are still current (their text has not changed since), keyed by chapter or
// scene id.
func (st store) summaries(ctx context.Context, storyID string, versions map[string]int) (map[string]string, error) {
	rows, err := st.db.QueryContext(ctx, `SELECT chapter_id, scene_id, summary, source_version
		FROM story_summaries WHERE book_id = $1`, storyID)
	if err != nil {
		return nil, fmt.Errorf("generation: summaries: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var (
			chapter, scene sql.NullString
			text           string
			version        int
		)
		if err := rows.Scan(&chapter, &scene, &text, &version); err != nil {
			return nil, fmt.Errorf("generation: summaries: %w", err)
		}
		id := chapter.String
		if scene.Valid {
			id = scene.String
		}
		if versions[id] == version {
			out[id] = text
		}
	}
	return out, rows.Err()
}

// saveSummary stores the summary of a chapter or a scene (sceneID set), replacing
// any earlier one.
func (st store) saveSummary(ctx context.Context, id, storyID, chapterID, sceneID, text string, version int, genID string, now time.Time) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if sceneID != "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM story_summaries WHERE scene_id = $1`, sceneID)
		chapterID = ""
	} else {
		_, err = tx.ExecContext(ctx, `DELETE FROM story_summaries WHERE chapter_id = $1`, chapterID)
	}
	if err != nil {
		return fmt.Errorf("generation: replace summary: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO story_summaries (id, book_id, chapter_id, scene_id, summary,
		source_version, generation_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, storyID, nullable(chapterID), nullable(sceneID), text, version, nullable(genID), now); err != nil {
		return fmt.Errorf("generation: save summary: %w", err)
	}
	return tx.Commit()
}
