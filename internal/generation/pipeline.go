package generation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
)

// The long-form pipeline drafts a whole book, one durable step at a time:
// premise → cast → chapter outline → per chapter: scene cards → per scene: draft,
// summary, fact extraction → a continuity check of the chapter. Every step's
// output is saved as it completes (pipeline_steps), and every step is
// idempotent, so a run resumes after a pause, a failure or a restart without
// redoing what is done. Scripts follow the same order with script-format
// drafts (the assembler's format rules), as Dramatron does.

// The states of a pipeline run.
const (
	RunQueued    = "queued"
	RunRunning   = "running"
	RunPaused    = "paused"
	RunCancelled = "cancelled"
	RunCompleted = "completed"
	RunFailed    = "failed"
)

// PipelineOptions shape a run.
type PipelineOptions struct {
	Chapters         int  `json:"chapters"`
	ScenesPerChapter int  `json:"scenes_per_chapter"`
	WordsPerScene    int  `json:"words_per_scene"`
	Budget           int  `json:"budget"`
	ContinuityCheck  bool `json:"continuity_check"`
	// Script is set for screenplays and stage plays, which follow the script
	// order: logline, characters, beats, locations, then scenes in script format.
	Script bool `json:"script"`
}

// PipelineInput is a request to start a run; absent fields take defaults.
type PipelineInput struct {
	Chapters         int   `json:"chapters"`
	ScenesPerChapter int   `json:"scenes_per_chapter"`
	WordsPerScene    int   `json:"words_per_scene"`
	Budget           int   `json:"budget"`
	ContinuityCheck  *bool `json:"continuity_check"`
}

func (in PipelineInput) options() (PipelineOptions, error) {
	o := PipelineOptions{Chapters: in.Chapters, ScenesPerChapter: in.ScenesPerChapter, WordsPerScene: in.WordsPerScene,
		Budget: in.Budget, ContinuityCheck: in.ContinuityCheck == nil || *in.ContinuityCheck}
	if o.Chapters == 0 {
		o.Chapters = 12
	}
	if o.ScenesPerChapter == 0 {
		o.ScenesPerChapter = 3
	}
	if o.WordsPerScene == 0 {
		o.WordsPerScene = 1200
	}
	switch {
	case o.Chapters < 1 || o.Chapters > 60:
		return o, errs.Field("chapters", "chapters must be between 1 and 60")
	case o.ScenesPerChapter < 1 || o.ScenesPerChapter > 8:
		return o, errs.Field("scenes_per_chapter", "scenes_per_chapter must be between 1 and 8")
	case o.WordsPerScene < 200 || o.WordsPerScene > 4000:
		return o, errs.Field("words_per_scene", "words_per_scene must be between 200 and 4000")
	case o.Budget != 0 && (o.Budget < MinBudget || o.Budget > MaxBudget):
		return o, errs.Field("budget", "budget must be between %d and %d tokens", MinBudget, MaxBudget)
	}
	return o, nil
}

// Run is one pipeline run and its progress.
type Run struct {
	ID               string          `json:"id"`
	StoryID          string          `json:"story_id"`
	UserID           string          `json:"user_id"`
	Status           string          `json:"status"`
	Options          PipelineOptions `json:"options"`
	Step             string          `json:"step"`
	DoneSteps        int             `json:"done_steps"`
	TotalSteps       int             `json:"total_steps"`
	Percent          float64         `json:"percent"`
	InputTokens      int64           `json:"input_tokens"`
	OutputTokens     int64           `json:"output_tokens"`
	CacheReadTokens  int64           `json:"cache_read_tokens"`
	CacheWriteTokens int64           `json:"cache_write_tokens"`
	CostMicros       int64           `json:"cost_micros"`
	CostUSD          float64         `json:"cost_usd"`
	Error            string          `json:"error"`
	Version          int             `json:"version"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
	FinishedAt       *time.Time      `json:"finished_at"`
	jobID            sql.NullInt64
}

// Finished reports whether the run will do nothing more.
func (r *Run) Finished() bool {
	return r.Status == RunCancelled || r.Status == RunCompleted || r.Status == RunFailed
}

// Steps is what a run's steps produced, for review.
type Step struct {
	Key          string          `json:"key"`
	Seq          int             `json:"seq"`
	Output       json.RawMessage `json:"output"`
	GenerationID *string         `json:"generation_id"`
	CreatedAt    time.Time       `json:"created_at"`
}

// Enqueuer schedules the next step of a run as a durable job.
type Enqueuer interface {
	EnqueueStep(ctx context.Context, runID string) (int64, error)
	CancelJob(ctx context.Context, jobID int64) error
}

// SetEnqueuer connects the service to the job queue; pipelines need one.
func (s *Service) SetEnqueuer(e Enqueuer) { s.jobs = e }

const runCols = `id, book_id, user_id, status, options, step, done_steps, total_steps, input_tokens, output_tokens,
	cache_read_tokens, cache_write_tokens, cost_micros, job_id, error, version, created_at, updated_at, finished_at`

func scanRun(row interface{ Scan(...any) error }) (*Run, error) {
	var (
		r        Run
		opts     []byte
		finished sql.NullTime
	)
	if err := row.Scan(&r.ID, &r.StoryID, &r.UserID, &r.Status, &opts, &r.Step, &r.DoneSteps, &r.TotalSteps,
		&r.InputTokens, &r.OutputTokens, &r.CacheReadTokens, &r.CacheWriteTokens, &r.CostMicros, &r.jobID, &r.Error,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &finished); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(opts, &r.Options); err != nil {
		return nil, fmt.Errorf("generation: run %s: stored options do not decode: %w", r.ID, err)
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if finished.Valid {
		t := finished.Time.UTC()
		r.FinishedAt = &t
	}
	if r.TotalSteps > 0 {
		r.Percent = float64(int(float64(r.DoneSteps)*1000/float64(r.TotalSteps))) / 10
	}
	r.CostUSD = float64(r.CostMicros) / 1e6
	return &r, nil
}

func (s *Service) loadRun(ctx context.Context, id string) (*Run, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errs.E(errs.NotFound, "pipeline run not found")
	}
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runCols+` FROM pipeline_runs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "pipeline run not found")
	}
	if err != nil {
		return nil, fmt.Errorf("generation: load run %s: %w", id, err)
	}
	return r, nil
}

// totalSteps counts a run's steps.
func totalSteps(o PipelineOptions) int {
	perChapter := 1 + o.ScenesPerChapter*3
	if o.ContinuityCheck {
		perChapter++
	}
	fixed := 3
	if o.Script {
		fixed++
	}
	return fixed + o.Chapters*perChapter
}

// stepKeys lists a run's steps in order.
func stepKeys(o PipelineOptions) []string {
	keys := []string{"premise", "cast", "outline"}
	if o.Script {
		keys = append(keys, "locations")
	}
	for c := 1; c <= o.Chapters; c++ {
		keys = append(keys, fmt.Sprintf("cards:%d", c))
		for sc := 1; sc <= o.ScenesPerChapter; sc++ {
			keys = append(keys, fmt.Sprintf("draft:%d:%d", c, sc), fmt.Sprintf("summary:%d:%d", c, sc), fmt.Sprintf("facts:%d:%d", c, sc))
		}
		if o.ContinuityCheck {
			keys = append(keys, fmt.Sprintf("check:%d", c))
		}
	}
	return keys
}

// StartPipeline starts a run drafting the story. The caller must be able to
// generate (editor or owner); one run per story may be active at a time.
func (s *Service) StartPipeline(ctx context.Context, p auth.Principal, storyID string, in PipelineInput) (*Run, error) {
	if s.jobs == nil {
		return nil, errs.E(errs.Unavailable, "background jobs are not running on this server")
	}
	opts, err := in.options()
	if err != nil {
		return nil, err
	}
	st, role, err := s.content.Story(ctx, &p, storyID)
	if err != nil {
		return nil, err
	}
	if role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "story not found")
	}
	if role < content.RoleEditor {
		return nil, errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to generate text", role)
	}
	opts.Script = isScript(st.ContentType)
	var active string
	err = s.db.QueryRowContext(ctx, `SELECT id FROM pipeline_runs WHERE book_id = $1 AND status IN ('queued', 'running', 'paused')`,
		storyID).Scan(&active)
	if err == nil {
		return nil, errs.E(errs.Conflict, "pipeline run %s is still active on this story; cancel it or let it finish first", active)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("generation: active runs: %w", err)
	}
	raw, _ := json.Marshal(opts) //nolint:errchkjson // a plain struct always marshals
	now := s.now().UTC().Truncate(time.Microsecond)
	id := uuid.NewString()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO pipeline_runs (id, book_id, user_id, status, options, total_steps,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		id, storyID, p.UserID, RunQueued, string(raw), totalSteps(opts), now); err != nil {
		return nil, fmt.Errorf("generation: start run: %w", err)
	}
	if err := s.enqueue(ctx, id); err != nil {
		return nil, err
	}
	return s.loadRun(ctx, id)
}

func (s *Service) enqueue(ctx context.Context, runID string) error {
	jobID, err := s.jobs.EnqueueStep(ctx, runID)
	if err != nil {
		return fmt.Errorf("generation: enqueue run %s: %w", runID, err)
	}
	_, err = s.db.ExecContext(ctx, `UPDATE pipeline_runs SET job_id = $2 WHERE id = $1`, runID, jobID)
	return err
}

// runFor loads a run for a caller who must be a collaborator of its story.
func (s *Service) runFor(ctx context.Context, p auth.Principal, id string, minRole content.Role) (*Run, error) {
	r, err := s.loadRun(ctx, id)
	if err != nil {
		return nil, err
	}
	_, role, err := s.content.Story(ctx, &p, r.StoryID)
	if err != nil || role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "pipeline run not found")
	}
	if role < minRole {
		return nil, errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to control its pipeline", role)
	}
	return r, nil
}

// PipelineRun returns a run to the collaborators of its story.
func (s *Service) PipelineRun(ctx context.Context, p auth.Principal, id string) (*Run, error) {
	return s.runFor(ctx, p, id, content.RoleViewer)
}

// PipelineRuns lists a story's runs, newest first.
func (s *Service) PipelineRuns(ctx context.Context, p auth.Principal, storyID string) ([]*Run, error) {
	if _, _, err := s.viewable(ctx, p, storyID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+runCols+` FROM pipeline_runs WHERE book_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 100`, storyID)
	if err != nil {
		return nil, fmt.Errorf("generation: list runs: %w", err)
	}
	defer rows.Close()
	out := []*Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PipelineSteps lists what a run's finished steps produced.
func (s *Service) PipelineSteps(ctx context.Context, p auth.Principal, id string) ([]Step, error) {
	if _, err := s.runFor(ctx, p, id, content.RoleViewer); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT step_key, seq, output, generation_id, created_at FROM pipeline_steps
		WHERE run_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("generation: list steps: %w", err)
	}
	defer rows.Close()
	out := []Step{}
	for rows.Next() {
		var (
			st  Step
			raw string
			gen sql.NullString
		)
		if err := rows.Scan(&st.Key, &st.Seq, &raw, &gen, &st.CreatedAt); err != nil {
			return nil, fmt.Errorf("generation: list steps: %w", err)
		}
		if json.Valid([]byte(raw)) && raw != "" {
			st.Output = json.RawMessage(raw)
		} else {
			st.Output, _ = json.Marshal(raw) //nolint:errchkjson // a string always marshals
		}
		st.GenerationID = ptr(gen)
		st.CreatedAt = st.CreatedAt.UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}

// ControlPipeline pauses, resumes or cancels a run.
func (s *Service) ControlPipeline(ctx context.Context, p auth.Principal, id, action string) (*Run, error) {
	r, err := s.runFor(ctx, p, id, content.RoleEditor)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	switch action {
	case "pause":
		if r.Status != RunQueued && r.Status != RunRunning {
			return nil, errs.E(errs.Conflict, "only a queued or running pipeline can be paused; this one is %s", r.Status)
		}
		// The step in flight finishes and is kept; the next one does not start.
		err = s.setStatus(ctx, id, []string{RunQueued, RunRunning}, RunPaused, now)
	case "resume":
		if r.Status != RunPaused && r.Status != RunFailed {
			return nil, errs.E(errs.Conflict, "only a paused or failed pipeline can be resumed; this one is %s", r.Status)
		}
		if err = s.setStatus(ctx, id, []string{RunPaused, RunFailed}, RunQueued, now); err == nil {
			err = s.enqueue(ctx, id)
		}
	case "cancel":
		if r.Finished() {
			return nil, errs.E(errs.Conflict, "the pipeline is already %s", r.Status)
		}
		if err = s.setStatus(ctx, id, []string{RunQueued, RunRunning, RunPaused}, RunCancelled, now); err == nil && r.jobID.Valid {
			// Stops a model call in flight; what it wrote so far is kept as a partial draft.
			if cerr := s.jobs.CancelJob(ctx, r.jobID.Int64); cerr != nil {
				s.log.Warn("generation: could not cancel the running step", "run_id", id, "err", cerr)
			}
		}
	default:
		return nil, errs.Field("action", "action must be pause, resume or cancel")
	}
	if err != nil {
		return nil, err
	}
	return s.loadRun(ctx, id)
}

// setStatus moves a run from one of the from states to to, or reports a conflict
// when another request moved it first.
func (s *Service) setStatus(ctx context.Context, id string, from []string, to string, now time.Time) error {
	args := []any{id, to, now}
	holes := make([]string, len(from))
	for i, f := range from {
		args = append(args, f)
		holes[i] = "$" + strconv.Itoa(len(args))
	}
	var finished any
	if to == RunCancelled || to == RunCompleted || to == RunFailed {
		finished = now
	}
	args = append(args, finished)
	res, err := s.db.ExecContext(ctx, `UPDATE pipeline_runs SET status = $2, updated_at = $3, version = version + 1,
		finished_at = $`+strconv.Itoa(len(args))+`, error = CASE WHEN $2 = 'failed' THEN error ELSE '' END
		WHERE id = $1 AND status IN (`+strings.Join(holes, ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("generation: run %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.E(errs.Conflict, "the pipeline changed state meanwhile; reload it")
	}
	return nil
}

// RunStep does the next step of a run. It is the body of the durable job: it
// returns more = true when another step should be scheduled.
func (s *Service) RunStep(ctx context.Context, runID string) (more bool, err error) {
	r, err := s.loadRun(ctx, runID)
	if err != nil {
		return false, err
	}
	if r.Status != RunQueued && r.Status != RunRunning {
		return false, nil // paused, cancelled or finished: nothing to do
	}
	done := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT step_key FROM pipeline_steps WHERE run_id = $1`, runID)
	if err != nil {
		return false, fmt.Errorf("generation: run %s steps: %w", runID, err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return false, err
		}
		done[k] = true
	}
	rows.Close()
	var next string
	for _, k := range stepKeys(r.Options) {
		if !done[k] {
			next = k
			break
		}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	if next == "" {
		err := s.setStatus(ctx, runID, []string{RunQueued, RunRunning}, RunCompleted, now)
		return false, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE pipeline_runs SET status = 'running', step = $2, updated_at = $3,
		version = version + 1 WHERE id = $1 AND status IN ('queued', 'running')`, runID, next, now); err != nil {
		return false, fmt.Errorf("generation: run %s: %w", runID, err)
	}
	out, g, err := s.doStep(ctx, r, next)
	if g != nil {
		s.addUsage(context.WithoutCancel(ctx), runID, g)
	}
	if err != nil {
		if ctx.Err() != nil {
			return false, err // cancelled or shutting down: River decides
		}
		msg := err.Error()
		var e *errs.Error
		if errors.As(err, &e) {
			msg = e.Message
		}
		_, _ = s.db.ExecContext(context.WithoutCancel(ctx), `UPDATE pipeline_runs SET status = 'failed', error = $2,
			updated_at = $3, finished_at = $3, version = version + 1 WHERE id = $1 AND status IN ('queued', 'running')`,
			runID, fmt.Sprintf("step %s: %s", next, msg), s.now().UTC())
		return false, nil
	}
	var genID any
	if g != nil {
		genID = g.ID
	}
	seq := len(done) + 1
	if _, err := s.db.ExecContext(ctx, `INSERT INTO pipeline_steps (run_id, step_key, seq, output, generation_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, runID, next, seq, out, genID, s.now().UTC()); err != nil {
		return false, fmt.Errorf("generation: save step %s: %w", next, err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE pipeline_runs SET done_steps = $2, updated_at = $3, version = version + 1
		WHERE id = $1`, runID, seq, s.now().UTC()); err != nil {
		return false, fmt.Errorf("generation: run %s progress: %w", runID, err)
	}
	return true, nil
}

// ScheduleNext enqueues the run's next step unless it was paused or cancelled.
func (s *Service) ScheduleNext(ctx context.Context, runID string) error {
	r, err := s.loadRun(ctx, runID)
	if err != nil {
		return err
	}
	if r.Status != RunQueued && r.Status != RunRunning {
		return nil
	}
	return s.enqueue(ctx, runID)
}

func (s *Service) addUsage(ctx context.Context, runID string, g *Generation) {
	if _, err := s.db.ExecContext(ctx, `UPDATE pipeline_runs SET input_tokens = input_tokens + $2,
		output_tokens = output_tokens + $3, cache_read_tokens = cache_read_tokens + $4,
		cache_write_tokens = cache_write_tokens + $5, cost_micros = cost_micros + $6 WHERE id = $1`,
		runID, g.InputTokens, g.OutputTokens, g.CacheReadTokens, g.CacheWriteTokens, g.CostMicros); err != nil {
		s.log.Error("generation: could not add a step's usage to its run", "run_id", runID, "err", err)
	}
}

// doStep runs one step and returns its output for pipeline_steps.
func (s *Service) doStep(ctx context.Context, r *Run, key string) (string, *Generation, error) {
	p := auth.Principal{UserID: r.UserID}
	parts := strings.Split(key, ":")
	num := func(i int) int {
		n, _ := strconv.Atoi(parts[i])
		return n
	}
	ms, err := s.content.Manuscript(ctx, r.StoryID)
	if err != nil {
		return "", nil, err
	}
	switch parts[0] {
	case "premise":
		return s.stepPremise(ctx, p, r, ms)
	case "cast":
		return s.stepCast(ctx, p, r)
	case "outline":
		return s.stepOutline(ctx, p, r, ms)
	case "locations":
		return s.stepLocations(ctx, p, r)
	case "cards":
		return s.stepCards(ctx, p, r, ms, num(1))
	case "draft", "summary", "facts":
		sc := findScene(ms, num(1), num(2))
		if sc == nil {
			return `{"skipped":"the scene does not exist"}`, nil, nil
		}
		switch parts[0] {
		case "draft":
			return s.stepDraft(ctx, p, r, sc)
		case "summary":
			g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeSummarize, SceneID: sc.ID})
			return quote(g), g, err
		default:
			return s.stepFacts(ctx, p, r, ms, num(1), sc)
		}
	case "check":
		return s.stepCheck(ctx, p, r, ms, num(1))
	}
	return "", nil, fmt.Errorf("generation: unknown step %q", key)
}

func quote(g *Generation) string {
	if g == nil {
		return `""`
	}
	b, _ := json.Marshal(g.Text) //nolint:errchkjson // a string always marshals
	return string(b)
}

func findScene(ms *content.Manuscript, chapter, scene int) *content.ManuscriptScene {
	for i := range ms.Chapters {
		if ms.Chapters[i].Number != chapter {
			continue
		}
		for j := range ms.Chapters[i].Scenes {
			if ms.Chapters[i].Scenes[j].Number == scene {
				return &ms.Chapters[i].Scenes[j]
			}
		}
	}
	return nil
}

// pipelineGen runs one generation for a run, as its user.
func (s *Service) pipelineGen(ctx context.Context, p auth.Principal, r *Run, req Request) (*Generation, error) {
	req.Budget = r.Options.Budget
	pr, err := s.prepare(ctx, p, r.StoryID, req, content.RoleEditor, "generate text")
	if err != nil {
		return nil, err
	}
	return s.run(ctx, p.UserID, pr, req.Mode, r.ID, nil)
}

func (s *Service) stepPremise(ctx context.Context, p auth.Principal, r *Run, ms *content.Manuscript) (string, *Generation, error) {
	if strings.TrimSpace(ms.Story.Description) != "" {
		return `{"kept":"the story already has a premise"}`, nil, nil
	}
	instruction := "Instead of a list, write this story's premise: one paragraph of at most 120 words naming the protagonist, what they want, what stands in the way and what is at stake. Plain text only."
	if r.Options.Script {
		instruction = "Instead of a list, write this script's logline (one sentence: protagonist, goal, obstacle, stakes), then a premise paragraph of at most 100 words. Plain text only."
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeBrainstorm, Words: 150, Instruction: instruction})
	if err != nil {
		return "", g, err
	}
	premise := clip(strings.TrimSpace(g.Text), 5000)
	v := ms.Story.Version
	if _, _, err := s.content.UpdateStory(ctx, p, r.StoryID, content.StoryInput{Version: &v, Description: &premise}, 0); err != nil {
		return "", g, err
	}
	return quote(g), g, nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// parseJSON finds the first JSON object in a model's answer (models sometimes
// wrap it in prose or a code fence) and decodes it into v.
func parseJSON(text string, v any) bool {
	start := strings.Index(text, "{")
	end := strings.LastIndex(text, "}")
	if start < 0 || end <= start {
		return false
	}
	return json.Unmarshal([]byte(text[start:end+1]), v) == nil
}

func (s *Service) stepCast(ctx context.Context, p auth.Principal, r *Run) (string, *Generation, error) {
	chars, err := s.content.Characters(ctx, p, r.StoryID)
	if err != nil {
		return "", nil, err
	}
	if len(chars) >= 3 {
		return `{"kept":"the story already has a cast"}`, nil, nil
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeCharacters})
	if err != nil {
		return "", g, err
	}
	var sheet struct {
		Characters []struct {
			Name        string   `json:"name"`
			Role        string   `json:"role"`
			Aliases     []string `json:"aliases"`
			Description string   `json:"description"`
			Background  string   `json:"background"`
		} `json:"characters"`
	}
	created := []string{}
	if parseJSON(g.Text, &sheet) {
		have := map[string]bool{}
		for _, c := range chars {
			have[strings.ToLower(c.Name)] = true
		}
		for _, c := range sheet.Characters {
			name := strings.TrimSpace(c.Name)
			if name == "" || have[strings.ToLower(name)] || len(created) >= 12 {
				continue
			}
			role := c.Role
			if !slicesContains(content.CharacterRoles, role) {
				role = "supporting"
			}
			storyID := r.StoryID
			desc, bg := clip(c.Description, 5000), clip(c.Background, 5000)
			in := content.CharacterInput{StoryID: &storyID, Name: &name, Role: &role, Description: &desc, Background: &bg}
			if _, err := s.content.CreateCharacter(ctx, p, in); err != nil {
				continue // a sheet the bible refuses (say, a bad alias) is skipped, not fatal
			}
			have[strings.ToLower(name)] = true
			created = append(created, name)
		}
	}
	out, _ := json.Marshal(map[string]any{"created": created, "text": g.Text}) //nolint:errchkjson // plain values
	return string(out), g, nil
}

func slicesContains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Service) stepOutline(ctx context.Context, p auth.Principal, r *Run, ms *content.Manuscript) (string, *Generation, error) {
	if len(ms.Chapters) >= r.Options.Chapters {
		return `{"kept":"the story already has its chapters"}`, nil, nil
	}
	unit := "chapters"
	if r.Options.Script {
		unit = "sequences (the script's beats, in story order)"
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeBrainstorm, Words: 60 * r.Options.Chapters,
		Instruction: fmt.Sprintf("Instead of a list, outline the whole story in exactly %d %s, as JSON only: "+
			`{"chapters":[{"title":"…","synopsis":"two or three sentences: what happens and what changes"}]}`, r.Options.Chapters, unit)})
	if err != nil {
		return "", g, err
	}
	var outline struct {
		Chapters []struct {
			Title    string `json:"title"`
			Synopsis string `json:"synopsis"`
		} `json:"chapters"`
	}
	parsed := parseJSON(g.Text, &outline)
	sentences := splitSentences(g.Text)
	for n := len(ms.Chapters) + 1; n <= r.Options.Chapters; n++ {
		title, synopsis := fmt.Sprintf("Chapter %d", n), ""
		if parsed && n-1 < len(outline.Chapters) {
			title, synopsis = clip(outline.Chapters[n-1].Title, 200), clip(outline.Chapters[n-1].Synopsis, 5000)
		} else if len(sentences) > 0 {
			synopsis = sentences[(n-1)%len(sentences)]
		}
		if strings.TrimSpace(title) == "" {
			title = fmt.Sprintf("Chapter %d", n)
		}
		if _, err := s.content.CreateChapter(ctx, p, r.StoryID, content.ChapterInput{Title: &title, Synopsis: &synopsis}); err != nil {
			return "", g, err
		}
	}
	return quote(g), g, nil
}

func isScript(contentType string) bool { return contentType == "screenplay" || contentType == "play" }

// stepLocations adds the script's locations to the bible as world entries, so
// scene headings and prompts name places consistently.
func (s *Service) stepLocations(ctx context.Context, p auth.Principal, r *Run) (string, *Generation, error) {
	have, err := s.content.Entries(ctx, p, r.StoryID, "location")
	if err != nil {
		return "", nil, err
	}
	if len(have) >= 3 {
		return `{"kept":"the story already has its locations"}`, nil, nil
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeBrainstorm, Words: 400,
		Instruction: "Instead of ideas, list the locations this script's scenes take place in, as JSON only: " +
			`{"locations":[{"name":"LIGHTHOUSE","description":"what it looks and sounds like, one or two sentences"}]}` +
			" with 4 to 10 locations."})
	if err != nil {
		return "", g, err
	}
	var found struct {
		Locations []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"locations"`
	}
	created := []string{}
	if parseJSON(g.Text, &found) {
		seen := map[string]bool{}
		for _, e := range have {
			seen[strings.ToLower(e.Name)] = true
		}
		kind := "location"
		for _, l := range found.Locations {
			name := clip(strings.TrimSpace(l.Name), 200)
			if name == "" || seen[strings.ToLower(name)] || len(created) >= 12 {
				continue
			}
			desc := clip(l.Description, 5000)
			if _, err := s.content.CreateEntry(ctx, p, r.StoryID, content.EntryInput{Kind: &kind, Name: &name, Description: &desc}); err != nil {
				continue
			}
			seen[strings.ToLower(name)] = true
			created = append(created, name)
		}
	}
	out, _ := json.Marshal(map[string]any{"created": created, "text": g.Text}) //nolint:errchkjson // plain values
	return string(out), g, nil
}

func splitSentences(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '\n' }) {
		if f = strings.TrimSpace(f); len(strings.Fields(f)) >= 4 {
			out = append(out, f+".")
		}
	}
	return out
}

func (s *Service) stepCards(ctx context.Context, p auth.Principal, r *Run, ms *content.Manuscript, n int) (string, *Generation, error) {
	var ch *content.ManuscriptChapter
	for i := range ms.Chapters {
		if ms.Chapters[i].Number == n {
			ch = &ms.Chapters[i]
		}
	}
	if ch == nil {
		return `{"skipped":"the chapter does not exist"}`, nil, nil
	}
	if len(ch.Scenes) > 0 {
		return `{"kept":"the chapter already has scenes"}`, nil, nil
	}
	instruction := fmt.Sprintf("Give exactly %d scenes.", r.Options.ScenesPerChapter)
	if r.Options.Script {
		instruction += " Each setting is a scene heading such as INT. LIGHTHOUSE - NIGHT, at one of the story's locations."
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeOutline, ChapterID: ch.ID, Instruction: instruction})
	if err != nil {
		return "", g, err
	}
	var cards struct {
		Scenes []struct {
			Title   string   `json:"title"`
			POV     string   `json:"pov"`
			Setting string   `json:"setting"`
			Goal    string   `json:"goal"`
			Beats   []string `json:"beats"`
		} `json:"scenes"`
	}
	parsed := parseJSON(g.Text, &cards)
	chars, err := s.content.Characters(ctx, p, r.StoryID)
	if err != nil {
		return "", g, err
	}
	sentences := splitSentences(g.Text)
	for i := 1; i <= r.Options.ScenesPerChapter; i++ {
		title, goal, setting, pov := fmt.Sprintf("Scene %d", i), "", "", ""
		var beats []string
		if parsed && i-1 < len(cards.Scenes) {
			c := cards.Scenes[i-1]
			title, goal, setting, beats = clip(c.Title, 200), clip(c.Goal, 2000), clip(c.Setting, 500), c.Beats
			for _, ch := range chars {
				if strings.EqualFold(ch.Name, strings.TrimSpace(c.POV)) {
					pov = ch.ID
				}
			}
		} else if len(sentences) > 0 {
			goal = sentences[(i-1)%len(sentences)]
			beats = []string{sentences[i%len(sentences)]}
		}
		if beats == nil {
			beats = []string{}
		}
		if len(beats) > 20 {
			beats = beats[:20]
		}
		for j := range beats {
			beats[j] = clip(beats[j], 2000)
		}
		if strings.TrimSpace(title) == "" {
			title = fmt.Sprintf("Scene %d", i)
		}
		card, _ := json.Marshal(content.SceneCard{Goal: goal, Beats: beats, TargetWords: r.Options.WordsPerScene}) //nolint:errchkjson // plain values
		in := content.SceneInput{Title: &title, Setting: &setting, Card: card}
		if pov != "" {
			in.POVCharacterID, _ = json.Marshal(pov) //nolint:errchkjson // a string always marshals
		}
		if _, err := s.content.CreateScene(ctx, p, ch.ID, in); err != nil {
			return "", g, err
		}
	}
	return quote(g), g, nil
}

func (s *Service) stepDraft(ctx context.Context, p auth.Principal, r *Run, sc *content.ManuscriptScene) (string, *Generation, error) {
	if strings.TrimSpace(sc.Text) != "" {
		return `{"kept":"the scene already has text"}`, nil, nil
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeScene, SceneID: sc.ID, Words: r.Options.WordsPerScene})
	if err != nil {
		return "", g, err
	}
	st, _, err := s.content.Story(ctx, &p, r.StoryID)
	if err != nil {
		return "", g, err
	}
	doc, err := generatedDoc(st.ContentType, g)
	if err != nil {
		return "", g, fmt.Errorf("the draft cannot be turned into a document: %w", err)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return "", g, err
	}
	v := sc.Version
	if _, err := s.content.UpdateScene(ctx, p, sc.ID, content.SceneInput{Version: &v, Content: raw,
		ChangeSummary: "drafted by pipeline run " + r.ID}, 0); err != nil {
		return "", g, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE generation_history SET accepted_at = $2 WHERE id = $1`, g.ID, s.now().UTC()); err != nil {
		return "", g, err
	}
	out, _ := json.Marshal(map[string]any{"scene_id": sc.ID, "words": doc.WordCount()}) //nolint:errchkjson // plain values
	return string(out), g, nil
}

func (s *Service) stepFacts(ctx context.Context, p auth.Principal, r *Run, ms *content.Manuscript, chapter int, sc *content.ManuscriptScene) (string, *Generation, error) {
	if strings.TrimSpace(sc.Text) == "" {
		return `{"skipped":"the scene has no text"}`, nil, nil
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeBrainstorm, ChapterID: chapterIDOf(ms, chapter), Selection: clip(sc.Text, maxSelection), Words: 300,
		Instruction: "Instead of ideas, list the facts this passage establishes that later chapters must respect (what changed for a character, place or object), as JSON only: " +
			`{"facts":[{"subject":"exact name of a character or world entry from the bible","fact":"one sentence"}]}`})
	if err != nil {
		return "", g, err
	}
	var found struct {
		Facts []struct {
			Subject string `json:"subject"`
			Fact    string `json:"fact"`
		} `json:"facts"`
	}
	created := 0
	if parseJSON(g.Text, &found) {
		bible, err := s.content.Bible(ctx, r.StoryID, 0)
		if err != nil {
			return "", g, err
		}
		for _, f := range found.Facts {
			text := clip(strings.TrimSpace(f.Fact), 2000)
			if text == "" || created >= 20 {
				continue
			}
			in := content.FactInput{Fact: &text, FromChapter: content.NullInt{Set: true, Value: &chapter}}
			for i := range bible.Characters {
				if strings.EqualFold(bible.Characters[i].Name, strings.TrimSpace(f.Subject)) {
					in.CharacterID = &bible.Characters[i].ID
				}
			}
			for i := range bible.Entries {
				if in.CharacterID == nil && strings.EqualFold(bible.Entries[i].Name, strings.TrimSpace(f.Subject)) {
					in.EntryID = &bible.Entries[i].ID
				}
			}
			if in.CharacterID == nil && in.EntryID == nil {
				continue
			}
			if _, err := s.content.CreateFact(ctx, p, r.StoryID, in); err == nil {
				created++
			}
		}
	}
	out, _ := json.Marshal(map[string]any{"facts_created": created, "text": g.Text}) //nolint:errchkjson // plain values
	return string(out), g, nil
}

func chapterIDOf(ms *content.Manuscript, n int) string {
	for _, c := range ms.Chapters {
		if c.Number == n {
			return c.ID
		}
	}
	return ""
}

// Issue is a continuity problem the check found, with the passage it cites.
type Issue struct {
	Quote   string `json:"quote"`
	Problem string `json:"problem"`
}

func (s *Service) stepCheck(ctx context.Context, p auth.Principal, r *Run, ms *content.Manuscript, n int) (string, *Generation, error) {
	var ch *content.ManuscriptChapter
	for i := range ms.Chapters {
		if ms.Chapters[i].Number == n {
			ch = &ms.Chapters[i]
		}
	}
	if ch == nil {
		return `{"skipped":"the chapter does not exist"}`, nil, nil
	}
	text := chapterFullText(ch)
	if strings.TrimSpace(text) == "" {
		return `{"issues":[]}`, nil, nil
	}
	g, err := s.pipelineGen(ctx, p, r, Request{Mode: ModeBrainstorm, ChapterID: ch.ID, Selection: clip(text, maxSelection), Words: 400,
		Instruction: "Instead of ideas, check the passage for continuity errors against the story bible and the story so far " +
			"(names, facts, timeline, who knows what). Answer with JSON only: " +
			`{"issues":[{"quote":"the exact words of the passage at fault","problem":"what it contradicts"}]}` + `; {"issues":[]} when there are none.`})
	if err != nil {
		return "", g, err
	}
	var found struct {
		Issues []Issue `json:"issues"`
	}
	issues := []Issue{}
	if parseJSON(g.Text, &found) {
		for _, is := range found.Issues {
			// Only issues that cite the text verbatim are kept: a citation that
			// cannot be found cannot be checked by the writer.
			if q := strings.TrimSpace(is.Quote); q != "" && strings.Contains(text, q) {
				issues = append(issues, Issue{Quote: q, Problem: is.Problem})
			}
		}
	}
	out, _ := json.Marshal(map[string]any{"chapter": n, "issues": issues}) //nolint:errchkjson // plain values
	return string(out), g, nil
}
