// Package exports runs the exports of stories as durable jobs: a request names a
// story, a format and its options; a job builds the export.Book from the story,
// writes the file with the format's writer, stores it, and records the result.
// An identical request for unchanged text reuses the stored file.
package exports

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// The states of an export.
const (
	StatusPending    = "pending"
	StatusProcessing = "processing"
	StatusCompleted  = "completed"
	StatusFailed     = "failed"
)

// Options tune a format; each format reads the fields it knows and the rest must
// be absent.
type Options struct {
	// Trim is the print PDF's trim size: 6x9 (default), 5x8, 5.5x8.5 or a5.
	Trim string `json:"trim,omitempty"`
	// Paper is the reading PDF's and the manuscript's paper: letter or a4.
	Paper string `json:"paper,omitempty"`
	// Font is the manuscript's font: times (default) or courier.
	Font string `json:"font,omitempty"`
	// Contact is the manuscript's contact block; the account's name and email
	// when absent.
	Contact *export.Contact `json:"contact,omitempty"`
	// Author overrides the byline (the account's display name by default).
	Author string `json:"author,omitempty"`
}

// Writer writes a Book in one format.
type Writer func(w io.Writer, b *export.Book, o Options) error

// Format is one export format.
type Format struct {
	Name      string // the API's name, e.g. "epub"
	MediaType string
	Extension string
	Write     Writer
	// Scripts and Prose say which kinds of story the format suits.
	Scripts, Prose bool
	// Options lists the option fields the format reads.
	Options []string
}

// Files stores export files.
type Files interface {
	// PutGenerated stores a generated file for a story and returns its id.
	PutGenerated(ctx context.Context, userID, storyID, name, mediaType string, r io.Reader) (string, int64, error)
	// Open returns a stored file's bytes, for a story's cover.
	Open(ctx context.Context, fileID string) (io.ReadCloser, string, error)
	// Delete removes a stored file.
	Delete(ctx context.Context, fileID string) error
}

// People names accounts for bylines and contact blocks.
type People interface {
	Person(ctx context.Context, userID string) (name, email string, err error)
}

// Enqueuer schedules an export's job.
type Enqueuer interface {
	EnqueueExport(ctx context.Context, exportID string) (int64, error)
}

// Config holds a Service's dependencies.
type Config struct {
	DB      *sqldb.DB
	Content *content.Service
	Files   Files
	People  People
	Formats []Format
	// Fresh is how long a completed export is reused for identical requests on
	// unchanged text (default 24 h).
	Fresh time.Duration
	Now   func() time.Time
	Log   *slog.Logger
}

// Service runs exports.
type Service struct {
	db      *sqldb.DB
	content *content.Service
	files   Files
	people  People
	formats map[string]Format
	names   []string
	fresh   time.Duration
	now     func() time.Time
	log     *slog.Logger
	jobs    Enqueuer
}

// NewService returns a Service for cfg.
func NewService(cfg Config) *Service {
	s := &Service{db: cfg.DB, content: cfg.Content, files: cfg.Files, people: cfg.People, formats: map[string]Format{},
		fresh: cfg.Fresh, now: cfg.Now, log: cfg.Log}
	for _, f := range cfg.Formats {
		s.formats[f.Name] = f
		s.names = append(s.names, f.Name)
	}
	if s.fresh == 0 {
		s.fresh = 24 * time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// SetEnqueuer connects the service to the job queue.
func (s *Service) SetEnqueuer(e Enqueuer) { s.jobs = e }

// Export is one export and its progress.
type Export struct {
	ID          string     `json:"id"`
	StoryID     string     `json:"story_id"`
	UserID      *string    `json:"user_id"`
	Format      string     `json:"format"`
	Options     Options    `json:"options"`
	Status      string     `json:"status"`
	Progress    int        `json:"progress"`
	Error       string     `json:"error"`
	FileID      *string    `json:"file_id"`
	FileSize    int64      `json:"file_size"`
	DownloadURL string     `json:"download_url,omitempty"`
	Reused      bool       `json:"reused"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	fingerprint string
	jobID       sql.NullInt64
}

const cols = `id, book_id, user_id, export_type, options, status, progress, error, file_id, file_size, fingerprint,
	job_id, created_at, started_at, completed_at`

func scan(row interface{ Scan(...any) error }) (*Export, error) {
	var (
		e                  Export
		user, file         sql.NullString
		opts               []byte
		started, completed sql.NullTime
	)
	if err := row.Scan(&e.ID, &e.StoryID, &user, &e.Format, &opts, &e.Status, &e.Progress, &e.Error, &file, &e.FileSize,
		&e.fingerprint, &e.jobID, &e.CreatedAt, &started, &completed); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(opts, &e.Options); err != nil {
		return nil, fmt.Errorf("exports: %s: stored options do not decode: %w", e.ID, err)
	}
	if user.Valid {
		e.UserID = &user.String
	}
	if file.Valid {
		e.FileID = &file.String
	}
	e.CreatedAt = e.CreatedAt.UTC()
	if started.Valid {
		t := started.Time.UTC()
		e.StartedAt = &t
	}
	if completed.Valid {
		t := completed.Time.UTC()
		e.CompletedAt = &t
	}
	if e.Status == StatusCompleted && e.FileID != nil {
		e.DownloadURL = "/api/exports/" + e.ID + "/download"
	}
	return &e, nil
}

func (s *Service) load(ctx context.Context, id string) (*Export, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errs.E(errs.NotFound, "export not found")
	}
	e, err := scan(s.db.QueryRowContext(ctx, `SELECT `+cols+` FROM exports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "export not found")
	}
	if err != nil {
		return nil, fmt.Errorf("exports: load %s: %w", id, err)
	}
	return e, nil
}

// Request asks for an export.
type Request struct {
	StoryID string  `json:"story_id"`
	Format  string  `json:"format"`
	Options Options `json:"options"`
}

// Formats lists the format names.
func (s *Service) Formats() []string { return slices.Clone(s.names) }

func (s *Service) check(req *Request, st *content.Story) (Format, error) {
	f, ok := s.formats[req.Format]
	if !ok {
		return f, errs.Field("format", "format %q is not one of %s", req.Format, strings.Join(s.names, ", "))
	}
	script := st.ContentType == "screenplay" || st.ContentType == "play"
	if (script && !f.Scripts) || (!script && !f.Prose) {
		var fits []string
		for _, name := range s.names {
			if g := s.formats[name]; (script && g.Scripts) || (!script && g.Prose) {
				fits = append(fits, name)
			}
		}
		return f, errs.Field("format", "a %s does not export as %s; it exports as %s",
			strings.ReplaceAll(st.ContentType, "_", " "), f.Name, strings.Join(fits, ", "))
	}
	o := req.Options
	given := map[string]bool{"trim": o.Trim != "", "paper": o.Paper != "", "font": o.Font != "", "contact": o.Contact != nil, "author": o.Author != ""}
	for name, set := range given {
		if set && !slices.Contains(f.Options, name) {
			return f, errs.Field("options."+name, "the %s format has no %s option", f.Name, name)
		}
	}
	for _, c := range []struct {
		field, value string
		allowed      []string
	}{
		{"trim", o.Trim, []string{"6x9", "5x8", "5.5x8.5", "a5"}},
		{"paper", o.Paper, []string{"letter", "a4"}},
		{"font", o.Font, []string{"times", "courier"}},
	} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			return f, errs.Field("options."+c.field, "options.%s must be one of %s", c.field, strings.Join(c.allowed, ", "))
		}
	}
	if len(o.Author) > 200 {
		return f, errs.Field("options.author", "options.author is longer than 200 characters")
	}
	if c := o.Contact; c != nil {
		if len(c.Address) > 6 {
			return f, errs.Field("options.contact.address", "an address has at most 6 lines")
		}
		for _, v := range append([]string{c.Name, c.Email, c.Phone}, c.Address...) {
			if len(v) > 200 {
				return f, errs.Field("options.contact", "contact lines are at most 200 characters")
			}
		}
	}
	return f, nil
}

// Start asks for an export of a story by one of its collaborators. An identical
// request (same format and options) for text that has not changed since a
// completed export within the freshness window, or while one is still being made,
// returns that export instead of making another.
func (s *Service) Start(ctx context.Context, p auth.Principal, req Request) (*Export, error) {
	if s.jobs == nil {
		return nil, errs.E(errs.Unavailable, "background jobs are not running on this server")
	}
	if _, err := uuid.Parse(req.StoryID); err != nil {
		return nil, errs.Field("story_id", "story_id must be the id of a story")
	}
	st, role, err := s.content.Story(ctx, &p, req.StoryID)
	if err != nil {
		return nil, err
	}
	if role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "story not found")
	}
	f, err := s.check(&req, st)
	if err != nil {
		return nil, err
	}
	fp, err := s.fingerprint(ctx, st, f.Name, req.Options)
	if err != nil {
		return nil, err
	}
	since := s.now().UTC().Add(-s.fresh)
	existing, err := scan(s.db.QueryRowContext(ctx, `SELECT `+cols+` FROM exports WHERE book_id = $1 AND export_type = $2
		AND fingerprint = $3 AND (status IN ('pending', 'processing') OR (status = 'completed' AND file_id IS NOT NULL
		AND completed_at > $4)) ORDER BY created_at DESC LIMIT 1`, st.ID, f.Name, fp, since))
	if err == nil {
		existing.Reused = true
		return existing, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("exports: find a reusable export: %w", err)
	}
	opts, _ := json.Marshal(req.Options) //nolint:errchkjson // plain strings always marshal
	id := uuid.NewString()
	now := s.now().UTC().Truncate(time.Microsecond)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO exports (id, book_id, user_id, export_type, options, status,
		fingerprint, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
		id, st.ID, p.UserID, f.Name, string(opts), fp, now); err != nil {
		return nil, fmt.Errorf("exports: record %s: %w", id, err)
	}
	jobID, err := s.jobs.EnqueueExport(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("exports: enqueue %s: %w", id, err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE exports SET job_id = $2 WHERE id = $1`, id, jobID); err != nil {
		return nil, fmt.Errorf("exports: %s: %w", id, err)
	}
	return s.load(ctx, id)
}

// fingerprint identifies the text and metadata an export is made from: the
// story's version and every chapter's and scene's version, with the format and
// its options.
func (s *Service) fingerprint(ctx context.Context, st *content.Story, format string, o Options) (string, error) {
	versions, err := s.content.TextVersions(ctx, st.ID)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d|%s|", format, st.Version, st.CoverFileID)
	opts, _ := json.Marshal(o) //nolint:errchkjson // plain strings always marshal
	h.Write(opts)
	h.Write([]byte(versions))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// forCaller loads an export for a collaborator of its story.
func (s *Service) forCaller(ctx context.Context, p auth.Principal, id string) (*Export, error) {
	e, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	_, role, err := s.content.Story(ctx, &p, e.StoryID)
	if err != nil || role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "export not found")
	}
	return e, nil
}

// Export returns an export to the collaborators of its story.
func (s *Service) Export(ctx context.Context, p auth.Principal, id string) (*Export, error) {
	return s.forCaller(ctx, p, id)
}

// List lists a story's exports, newest first.
func (s *Service) List(ctx context.Context, p auth.Principal, storyID string) ([]*Export, error) {
	_, role, err := s.content.Story(ctx, &p, storyID)
	if err != nil {
		return nil, err
	}
	if role < content.RoleViewer {
		return nil, errs.E(errs.NotFound, "story not found")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+cols+` FROM exports WHERE book_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`, storyID)
	if err != nil {
		return nil, fmt.Errorf("exports: list: %w", err)
	}
	defer rows.Close()
	out := []*Export{}
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Download opens a completed export's file for a collaborator of its story.
func (s *Service) Download(ctx context.Context, p auth.Principal, id string) (*Export, io.ReadCloser, string, error) {
	e, err := s.forCaller(ctx, p, id)
	if err != nil {
		return nil, nil, "", err
	}
	if e.Status != StatusCompleted || e.FileID == nil {
		return nil, nil, "", errs.E(errs.Conflict, "the export is %s; download it once it is completed", e.Status)
	}
	rc, _, err := s.files.Open(ctx, *e.FileID)
	if err != nil {
		return nil, nil, "", err
	}
	f := s.formats[e.Format]
	return e, rc, f.MediaType, nil
}

// FileName is the name a downloaded export gets.
func (s *Service) FileName(e *Export, title string) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 32 || r == '"' {
			return '-'
		}
		return r
	}, strings.TrimSpace(title))
	if name == "" {
		name = "export"
	}
	return name + s.formats[e.Format].Extension
}

// progress records an export's progress.
func (s *Service) progress(ctx context.Context, id string, pct int) {
	if _, err := s.db.ExecContext(ctx, `UPDATE exports SET progress = $2 WHERE id = $1`, id, pct); err != nil {
		s.log.Warn("exports: progress", "export_id", id, "err", err)
	}
}

// Run makes an export: the body of its durable job.
func (s *Service) Run(ctx context.Context, id string) error {
	e, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if e.Status == StatusCompleted || e.Status == StatusFailed {
		return nil
	}
	now := s.now().UTC()
	if _, err := s.db.ExecContext(ctx, `UPDATE exports SET status = 'processing', progress = 5, started_at = $2 WHERE id = $1`, id, now); err != nil {
		return fmt.Errorf("exports: start %s: %w", id, err)
	}
	fileID, size, err := s.make(ctx, e)
	if err != nil {
		if ctx.Err() != nil {
			return err // shutting down: the job runs again
		}
		msg := "the export could not be made"
		var ee *errs.Error
		if errors.As(err, &ee) {
			msg = ee.Message
		}
		s.log.Error("exports: failed", "export_id", id, "format", e.Format, "err", err)
		_, _ = s.db.ExecContext(context.WithoutCancel(ctx), `UPDATE exports SET status = 'failed', error = $2, completed_at = $3
			WHERE id = $1`, id, msg, s.now().UTC())
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE exports SET status = 'completed', progress = 100, file_id = $2, file_size = $3,
		completed_at = $4 WHERE id = $1`, id, fileID, size, s.now().UTC()); err != nil {
		_ = s.files.Delete(context.WithoutCancel(ctx), fileID)
		return fmt.Errorf("exports: finish %s: %w", id, err)
	}
	return nil
}

// make writes the export to a temporary file, then stores it.
func (s *Service) make(ctx context.Context, e *Export) (string, int64, error) {
	f, ok := s.formats[e.Format]
	if !ok {
		return "", 0, errs.E(errs.Invalid, "format %s is no longer offered", e.Format)
	}
	userID := ""
	if e.UserID != nil {
		userID = *e.UserID
	}
	book, err := s.book(ctx, e.StoryID, userID, e.Options)
	if err != nil {
		return "", 0, err
	}
	s.progress(ctx, e.ID, 30)
	tmp, err := os.CreateTemp("", "authorworks-export-*")
	if err != nil {
		return "", 0, fmt.Errorf("exports: temp file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := f.Write(tmp, book, e.Options); err != nil {
		return "", 0, fmt.Errorf("exports: write %s: %w", f.Name, err)
	}
	s.progress(ctx, e.ID, 80)
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", 0, err
	}
	name := s.FileName(e, book.Title)
	return s.files.PutGenerated(ctx, userID, e.StoryID, name, f.MediaType, tmp)
}
