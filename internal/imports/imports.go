// Package imports creates stories from uploaded manuscripts: a writer uploads a
// DOCX, ODT, Markdown, plain-text, Fountain or FDX file (purpose "import"),
// previews the chapters detected in it, then commits, which creates the story
// with every chapter in one transaction.
package imports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/importer"
)

// MaxImportBytes caps the file an import reads.
const MaxImportBytes = 20 << 20

// File is an uploaded manuscript.
type File struct {
	Name    string
	Size    int64
	Purpose string
	Body    io.ReadCloser
}

// Files opens the caller's uploaded files.
type Files interface {
	// OpenOwn opens a file the caller uploaded; anyone else's is not found.
	OpenOwn(ctx context.Context, p auth.Principal, fileID string) (*File, error)
}

// Service imports manuscripts.
type Service struct {
	files   Files
	content *content.Service
	// slots bounds the parses running at once: a hostile file can take
	// seconds of CPU before a limit refuses it.
	slots chan struct{}
	wait  time.Duration
}

// parseWait is how long a parse waits for a free slot before the caller is
// asked to try again.
const parseWait = 10 * time.Second

// NewService returns a Service.
func NewService(files Files, c *content.Service) *Service {
	return &Service{files: files, content: c, slots: make(chan struct{}, max(runtime.GOMAXPROCS(0), 2)), wait: parseWait}
}

// Request names an uploaded file and how to read it.
type Request struct {
	FileID string `json:"file_id"`
	// SplitScenes makes each scene heading of a script start a chapter.
	SplitScenes bool `json:"split_scenes"`
	// Title, Genre and Description override what the file says (commit only).
	Title       string `json:"title"`
	Genre       string `json:"genre"`
	Description string `json:"description"`
}

// parse reads and parses the caller's upload.
func (s *Service) parse(ctx context.Context, p auth.Principal, req Request) (*importer.Manuscript, error) {
	if _, err := uuid.Parse(req.FileID); err != nil {
		return nil, errs.Field("file_id", "file_id must be the id of an uploaded file")
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-t.C:
		return nil, &errs.Error{Kind: errs.RateLimited, RetryAfter: 5 * time.Second,
			Message: "the server is busy reading other manuscripts; try again in a few seconds"}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	f, err := s.files.OpenOwn(ctx, p, req.FileID)
	if err != nil {
		return nil, err
	}
	defer f.Body.Close()
	if f.Purpose != "import" {
		return nil, errs.Field("file_id", "this file was uploaded as %s; upload manuscripts with purpose import", f.Purpose)
	}
	if f.Size > MaxImportBytes {
		return nil, errs.E(errs.TooLarge, "the manuscript is larger than %d MiB", MaxImportBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f.Body, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("imports: read %s: %w", req.FileID, err)
	}
	if len(data) > MaxImportBytes {
		return nil, errs.E(errs.TooLarge, "the manuscript is larger than %d MiB", MaxImportBytes>>20)
	}
	head := data[:min(len(data), 4096)]
	format, err := importer.Detect(head, f.Name)
	if err != nil {
		return nil, err
	}
	return importer.Parse(bytes.NewReader(data), int64(len(data)), format,
		importer.Options{Name: f.Name, SplitScenes: req.SplitScenes, MaxFileBytes: MaxImportBytes})
}

// Preview shows what an import would create.
func (s *Service) Preview(ctx context.Context, p auth.Principal, req Request) (*importer.Preview, error) {
	m, err := s.parse(ctx, p, req)
	if err != nil {
		return nil, err
	}
	pv := m.Preview()
	return &pv, nil
}

// Commit creates the story.
func (s *Service) Commit(ctx context.Context, p auth.Principal, req Request) (*content.Story, error) {
	m, err := s.parse(ctx, p, req)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(req.Title)
	if title == "" {
		title = m.Title
	}
	if title == "" {
		title = "Imported manuscript"
	}
	kind := m.ContentType
	in := content.StoryInput{Title: &title, ContentType: &kind}
	if req.Genre != "" {
		in.Genre = &req.Genre
	}
	if req.Description != "" {
		in.Description = &req.Description
	}
	chapters := make([]content.NewChapter, len(m.Chapters))
	for i, c := range m.Chapters {
		chapters[i] = content.NewChapter{Title: c.Title, Doc: c.Doc}
	}
	return s.content.ImportStory(ctx, p, in, chapters)
}

// Handler serves the import API.
type Handler struct {
	svc     *Service
	maxBody int64
}

// NewHandler returns the HTTP handlers of svc.
func NewHandler(svc *Service, maxBody int64) *Handler { return &Handler{svc: svc, maxBody: maxBody} }

// Routes registers the import routes.
func (h *Handler) Routes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/imports/preview", httpapi.RequireAuth(h.preview))
	mux.HandleFunc("POST /api/imports", httpapi.RequireAuth(h.commit))
}

func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpapi.Decode(w, r, h.maxBody, &req); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	pv, err := h.svc.Preview(r.Context(), principal(r), req)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, pv)
}

func (h *Handler) commit(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpapi.Decode(w, r, h.maxBody, &req); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	st, err := h.svc.Commit(r.Context(), principal(r), req)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/stories/"+st.ID)
	httpapi.JSON(w, http.StatusCreated, st.View(content.RoleOwner))
}
