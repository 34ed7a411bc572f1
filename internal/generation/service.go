// Package generation is the AI engine of AuthorWorks: it assembles the context
// of each request from the story bible and the manuscript, calls the configured
// model provider, streams the answer, and keeps the history, cost and usage of
// every call. The long-form pipeline (pipeline.go) drafts whole books with it.
package generation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Config holds a Service's dependencies.
type Config struct {
	DB       *sqldb.DB
	Content  *content.Service
	Provider ai.Provider
	// Model names the model the provider uses when a request names none, for
	// history and pricing.
	Model  string
	Prices map[string]Price
	// Allowances are monthly token allowances per tier; 0 or absent is unlimited.
	Allowances map[string]int64
	Tiers      Tiers
	// Budget is the default prompt budget; MaxTokens caps one answer.
	Budget    int
	MaxTokens int
	Now       func() time.Time
	Log       *slog.Logger
	// Registry, when set, receives the engine's Prometheus series.
	Registry prometheus.Registerer
}

// Service runs generations.
type Service struct {
	db         *sqldb.DB
	store      store
	content    *content.Service
	provider   ai.Provider
	model      string
	prices     map[string]Price
	allowances map[string]int64
	tiers      Tiers
	budget     int
	maxTokens  int
	now        func() time.Time
	log        *slog.Logger
	jobs       Enqueuer
	metrics    *metrics
}

// NewService returns a Service for cfg.
func NewService(cfg Config) *Service {
	s := &Service{db: cfg.DB, store: store{cfg.DB}, content: cfg.Content, provider: cfg.Provider, model: cfg.Model,
		prices: cfg.Prices, allowances: cfg.Allowances, tiers: cfg.Tiers, budget: cfg.Budget, maxTokens: cfg.MaxTokens,
		now: cfg.Now, log: cfg.Log, metrics: newMetrics(cfg.Registry)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.budget == 0 {
		s.budget = DefaultBudget
	}
	if s.maxTokens == 0 {
		s.maxTokens = ai.DefaultAnthropicMaxTokens
	}
	return s
}

// ProviderInfo says which model answers generations.
type ProviderInfo struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
	// Offline is true for the offline provider, whose text is a placeholder
	// built from the prompt, not a model's writing.
	Offline bool `json:"offline"`
}

// Provider returns which provider and model answer generations.
func (s *Service) Provider() ProviderInfo {
	return ProviderInfo{Provider: s.provider.Name(), Model: s.modelName(), Offline: s.offline()}
}

func (s *Service) offline() bool { return s.provider.Name() == "offline" }

func (s *Service) modelName() string {
	if s.offline() {
		return "offline-1"
	}
	return s.model
}

// Limits of a generation request.
const (
	maxInstruction = 4000
	maxSelection   = 60000
	maxPinned      = 50
	maxWords       = 6000
)

// Request is what a writer asks for.
type Request struct {
	Mode        string   `json:"mode"`
	ChapterID   string   `json:"chapter_id"`
	SceneID     string   `json:"scene_id"`
	Instruction string   `json:"instruction"`
	Selection   string   `json:"selection"`
	Pinned      []string `json:"pinned"`
	Budget      int      `json:"budget"`
	Words       int      `json:"words"`
	// Stream, when false, asks for one JSON answer instead of server-sent events.
	Stream *bool `json:"stream"`
}

func (r *Request) check() error {
	if r.Mode == "" {
		return errs.Field("mode", "mode is required: one of %s", strings.Join(Modes, ", "))
	}
	if utf8.RuneCountInString(r.Instruction) > maxInstruction {
		return errs.Field("instruction", "instruction is longer than %d characters", maxInstruction)
	}
	if utf8.RuneCountInString(r.Selection) > maxSelection {
		return errs.Field("selection", "selection is longer than %d characters; work on a shorter passage", maxSelection)
	}
	if len(r.Pinned) > maxPinned {
		return errs.Field("pinned", "pinned holds %d entries; the limit is %d", len(r.Pinned), maxPinned)
	}
	for i, id := range r.Pinned {
		if _, err := uuid.Parse(id); err != nil {
			return errs.Field(fmt.Sprintf("pinned[%d]", i), "pinned[%d] must be the id of a character or world entry", i)
		}
	}
	if r.Words < 0 || r.Words > maxWords {
		return errs.Field("words", "words must be between 1 and %d", maxWords)
	}
	for field, id := range map[string]string{"chapter_id": r.ChapterID, "scene_id": r.SceneID} {
		if id == "" {
			continue
		}
		if _, err := uuid.Parse(id); err != nil {
			return errs.Field(field, "%s must be a UUID", field)
		}
	}
	return nil
}

// prepared is a request resolved against its story and assembled.
type prepared struct {
	story     *content.Story
	role      content.Role
	chapterID string
	sceneID   string
	prompt    *Prompt
	versions  map[string]int
}

// prepare checks the caller may use the story's bible at least as minRole,
// resolves the target and assembles the prompt.
func (s *Service) prepare(ctx context.Context, p auth.Principal, storyID string, req Request, minRole content.Role, action string) (*prepared, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	st, role, err := s.content.Story(ctx, &p, storyID)
	if err != nil {
		return nil, err
	}
	if role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "story not found")
	}
	if role < minRole {
		return nil, errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to %s", role, action)
	}
	ms, err := s.content.Manuscript(ctx, storyID)
	if err != nil {
		return nil, err
	}
	pr := &prepared{story: st, role: role, versions: map[string]int{}}
	in := Input{Mode: req.Mode, Manuscript: ms, Instruction: strings.TrimSpace(req.Instruction), Selection: req.Selection,
		Pinned: req.Pinned, Budget: req.Budget, Words: req.Words}
	if in.Budget == 0 {
		in.Budget = s.budget
	}
	for _, c := range ms.Chapters {
		pr.versions[c.ID] = c.Version
		if c.ID == req.ChapterID {
			in.Chapter = c.Number
		}
		for _, sc := range c.Scenes {
			pr.versions[sc.ID] = sc.Version
			if sc.ID == req.SceneID {
				if req.ChapterID != "" && req.ChapterID != c.ID {
					return nil, errs.Field("scene_id", "scene_id names a scene of another chapter than chapter_id")
				}
				in.Chapter, in.Scene = c.Number, sc.Number
				pr.chapterID = c.ID
			}
		}
	}
	if req.ChapterID != "" && in.Chapter == 0 {
		return nil, errs.Field("chapter_id", "chapter_id names no chapter of this story")
	}
	if req.SceneID != "" && in.Scene == 0 {
		return nil, errs.Field("scene_id", "scene_id names no scene of this story")
	}
	if pr.chapterID == "" {
		pr.chapterID = req.ChapterID
	}
	pr.sceneID = req.SceneID
	if in.Bible, err = s.content.Bible(ctx, storyID, in.Chapter); err != nil {
		return nil, err
	}
	if in.Summaries, err = s.store.summaries(ctx, storyID, pr.versions); err != nil {
		return nil, err
	}
	if pr.prompt, err = Assemble(in); err != nil {
		return nil, err
	}
	pr.prompt.Request.MaxTokens = min(pr.prompt.Request.MaxTokens, s.maxTokens)
	return pr, nil
}

// Preview is what a generation would send, without sending it.
type Preview struct {
	ProviderInfo
	Manifest  Manifest     `json:"manifest"`
	System    []ai.Block   `json:"system"`
	Messages  []ai.Message `json:"messages"`
	MaxTokens int          `json:"max_tokens"`
	// EstimatedCostUSD is the most the call could cost: the whole prompt as
	// uncached input and the whole answer allowance as output.
	EstimatedCostUSD float64 `json:"estimated_cost_usd"`
}

// Preview assembles the prompt a request would send, so a writer can read it.
// Collaborators who may read the bible (viewers and up) may preview.
func (s *Service) Preview(ctx context.Context, p auth.Principal, storyID string, req Request) (*Preview, error) {
	pr, err := s.prepare(ctx, p, storyID, req, content.RoleViewer, "preview generations")
	if err != nil {
		return nil, err
	}
	r := pr.prompt.Request
	est := costMicros(ai.Usage{InputTokens: pr.prompt.Manifest.Tokens, OutputTokens: r.MaxTokens}, s.prices[s.modelName()])
	return &Preview{ProviderInfo: s.Provider(), Manifest: pr.prompt.Manifest, System: r.System, Messages: r.Messages,
		MaxTokens: r.MaxTokens, EstimatedCostUSD: float64(est) / 1e6}, nil
}

// Event is a step of a running generation, for streaming to the client.
type Event struct {
	// Start carries the generation before any text; Delta a piece of text.
	Start *Generation
	Delta string
}

// Generate runs a generation for the caller, who must be an editor or owner of
// the story. onEvent sees the start and every delta; when it fails (the client
// went away) the generation stops and is kept as a partial draft. The returned
// Generation is recorded in history whatever happened; err says why it did not
// complete.
func (s *Service) Generate(ctx context.Context, p auth.Principal, storyID string, req Request, onEvent func(Event) error) (*Generation, error) {
	pr, err := s.prepare(ctx, p, storyID, req, content.RoleEditor, "generate text")
	if err != nil {
		return nil, err
	}
	return s.run(ctx, p.UserID, pr, req.Mode, "", onEvent)
}

// run calls the provider for a prepared prompt and records the outcome.
func (s *Service) run(ctx context.Context, userID string, pr *prepared, mode, pipelineID string, onEvent func(Event) error) (*Generation, error) {
	var hold *reservation
	if !s.offline() {
		var err error
		hold, err = s.reserve(ctx, userID, int64(pr.prompt.Manifest.Tokens+pr.prompt.Request.MaxTokens))
		if err != nil {
			return nil, err
		}
	}
	manifest, _ := json.Marshal(pr.prompt.Manifest) //nolint:errchkjson // plain structs always marshal
	storyID := pr.story.ID
	g := &Generation{ID: uuid.NewString(), UserID: userID, StoryID: &storyID, ChapterID: optional(pr.chapterID),
		SceneID: optional(pr.sceneID), PipelineID: optional(pipelineID), Mode: mode, Status: StatusRunning,
		Provider: s.provider.Name(), Offline: s.offline(), Model: s.modelName(), Prompt: promptText(pr.prompt.Request),
		Manifest: manifest, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
	bg := context.WithoutCancel(ctx)
	var held int64
	if hold != nil {
		held = hold.n
	}
	if err := s.store.insertRunning(ctx, g, held); err != nil {
		s.release(bg, hold)
		return nil, err
	}
	if onEvent != nil {
		if err := onEvent(Event{Start: g}); err != nil {
			g.Status, g.Error = StatusFailed, "the client went away before the generation started"
			_ = s.store.finish(bg, g)
			s.release(bg, hold)
			return g, err
		}
	}
	started := time.Now()
	var firstToken time.Duration
	res, callErr := s.provider.Stream(ctx, pr.prompt.Request, func(text string) error {
		if firstToken == 0 {
			firstToken = time.Since(started)
		}
		if onEvent == nil {
			return nil
		}
		return onEvent(Event{Delta: text})
	})
	g.LatencyMS = int(time.Since(started).Milliseconds())
	if res != nil {
		g.Text, g.StopReason, g.RequestID = res.Text, res.StopReason, res.RequestID
		if res.Model != "" {
			g.Model = res.Model
		}
		g.InputTokens, g.OutputTokens = res.Usage.InputTokens, res.Usage.OutputTokens
		g.CacheReadTokens, g.CacheWriteTokens = res.Usage.CacheReadTokens, res.Usage.CacheWriteTokens
	}
	usage := ai.Usage{InputTokens: g.InputTokens, OutputTokens: g.OutputTokens, CacheReadTokens: g.CacheReadTokens,
		CacheWriteTokens: g.CacheWriteTokens}
	g.TokensUsed = int(totalTokens(usage))
	if !s.offline() {
		g.CostMicros = costMicros(usage, s.priceOf(g.Model))
	}
	g.CostUSD = float64(g.CostMicros) / 1e6
	outErr := s.outcome(g, res, callErr)
	s.metrics.observe(g, firstToken, pr.prompt.Manifest.Tokens)
	if err := s.store.finish(bg, g); err != nil {
		s.log.Error("generation: could not record the outcome", "generation_id", g.ID, "err", err)
	}
	if hold != nil {
		if err := hold.settle(bg, int64(g.TokensUsed), g.CostMicros); err != nil {
			s.log.Error("generation: could not charge usage", "generation_id", g.ID, "err", err)
		}
	}
	if outErr == nil && mode == ModeSummarize {
		s.keepSummary(bg, pr, g)
	}
	return g, outErr
}

func (s *Service) release(ctx context.Context, hold *reservation) {
	if hold != nil {
		if err := hold.settle(ctx, 0, 0); err != nil {
			s.log.Error("generation: could not release reserved tokens", "err", err)
		}
	}
}

func (s *Service) priceOf(model string) Price {
	if p, ok := s.prices[model]; ok {
		return p
	}
	return s.prices[s.model]
}

// outcome sets g's status and error from the provider's answer, and returns the
// error the caller gets: nil when the generation completed.
func (s *Service) outcome(g *Generation, res *ai.Result, err error) error {
	switch {
	case err == nil && res != nil && !res.Partial:
		g.Status = StatusCompleted
		if res.StopReason == "refusal" {
			g.Error = "the model declined to write this"
		}
		return nil
	case res != nil && res.Text != "":
		g.Status = StatusPartial
		g.Error = "the model stopped before it finished; the text so far is kept as a draft"
		return &errs.Error{Kind: errs.Unavailable, Code: "GENERATION_INCOMPLETE", Message: g.Error, Current: g, Err: err}
	}
	g.Status = StatusFailed
	e := &errs.Error{Kind: errs.Unavailable, Code: "AI_UNAVAILABLE", Current: g, Err: err,
		Message: "the AI provider could not answer; nothing was charged for the text, try again in a moment"}
	var apiErr *ai.APIError
	switch {
	case errors.Is(err, context.Canceled):
		e.Message = "the generation was cancelled"
		e.Code = "GENERATION_CANCELLED"
	case errors.As(err, &apiErr) && (apiErr.Status == 429 || apiErr.Status == 529):
		e.Message = "the AI provider is busy; try again in a moment"
		e.RetryAfter = max(apiErr.RetryAfter, 5*time.Second)
	case errors.As(err, &apiErr) && (apiErr.Status == 401 || apiErr.Status == 403):
		e.Message = "the AI provider refused this server's credentials; tell the administrator"
	case errors.As(err, &apiErr) && apiErr.Status == 400:
		e.Message = "the AI provider rejected the request: " + apiErr.Message
	}
	g.Error = e.Message
	return e
}

// keepSummary stores the summary a summarize generation wrote, for the context
// of later generations.
func (s *Service) keepSummary(ctx context.Context, pr *prepared, g *Generation) {
	text := strings.TrimSpace(g.Text)
	if text == "" {
		return
	}
	subject := pr.chapterID
	if pr.sceneID != "" {
		subject = pr.sceneID
	}
	if err := s.store.saveSummary(ctx, uuid.NewString(), pr.story.ID, pr.chapterID, pr.sceneID, text,
		pr.versions[subject], g.ID, s.now().UTC()); err != nil {
		s.log.Error("generation: could not keep a summary", "generation_id", g.ID, "err", err)
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// promptText is the prompt as the model reads it, for history.
func promptText(r ai.Request) string {
	var b strings.Builder
	for _, blk := range r.System {
		b.WriteString(blk.Text)
		b.WriteString("\n\n")
	}
	for _, m := range r.Messages {
		b.WriteString(m.Text)
	}
	return b.String()
}
