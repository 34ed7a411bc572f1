package exports

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// Handler serves the export API.
type Handler struct {
	svc     *Service
	maxBody int64
}

// NewHandler returns the HTTP handlers of svc.
func NewHandler(svc *Service, maxBody int64) *Handler { return &Handler{svc: svc, maxBody: maxBody} }

// progressPoll is how often the progress stream reads an export.
const progressPoll = 300 * time.Millisecond

// Routes registers the export routes on mux.
func (h *Handler) Routes(mux httpapi.Mux) {
	a := httpapi.RequireAuth
	mux.HandleFunc("GET /api/export/formats", a(h.formats))
	mux.HandleFunc("POST /api/export", a(h.start))
	mux.HandleFunc("GET /api/exports/{id}", a(h.get))
	mux.HandleFunc("GET /api/exports/{id}/events", a(h.events))
	mux.HandleFunc("GET /api/exports/{id}/download", a(h.download))
	mux.HandleFunc("GET /api/stories/{id}/exports", a(h.list))
}

func who(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

// FormatInfo describes a format to clients.
type FormatInfo struct {
	Name      string   `json:"name"`
	MediaType string   `json:"media_type"`
	Extension string   `json:"extension"`
	Prose     bool     `json:"prose"`
	Scripts   bool     `json:"scripts"`
	Options   []string `json:"options"`
}

func (h *Handler) formats(w http.ResponseWriter, r *http.Request) {
	out := []FormatInfo{}
	for _, name := range h.svc.names {
		f := h.svc.formats[name]
		opts := f.Options
		if opts == nil {
			opts = []string{}
		}
		out = append(out, FormatInfo{Name: f.Name, MediaType: f.MediaType, Extension: f.Extension, Prose: f.Prose, Scripts: f.Scripts, Options: opts})
	}
	httpapi.JSON(w, http.StatusOK, out)
}

func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpapi.Decode(w, r, h.maxBody, &req); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	e, err := h.svc.Start(r.Context(), who(r), req)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/exports/"+e.ID)
	status := http.StatusAccepted
	if e.Reused && e.Status == StatusCompleted {
		status = http.StatusOK
	}
	httpapi.JSON(w, status, e)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	e, err := h.svc.Export(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, e)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.List(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

// events streams an export's progress as server-sent events: "progress" (the
// Export) whenever it changes, then "end" once it is completed or failed.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	p := who(r)
	e, err := h.svc.Export(r.Context(), p, id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	sse := httpapi.NewEventStream(w)
	sse.Begin()
	defer sse.Close()
	last := ""
	t := time.NewTicker(progressPoll)
	defer t.Stop()
	for {
		key := e.Status + strconv.Itoa(e.Progress)
		if key != last {
			if sse.Send("progress", e) != nil {
				return
			}
			last = key
		}
		if e.Status == StatusCompleted || e.Status == StatusFailed {
			_ = sse.Send("end", e)
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
		if e, err = h.svc.Export(r.Context(), p, id); err != nil {
			return
		}
	}
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	p := who(r)
	e, rc, mediaType, err := h.svc.Download(r.Context(), p, id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	defer rc.Close()
	st, _, err := h.svc.content.Story(r.Context(), &p, e.StoryID)
	title := "export"
	if err == nil {
		title = st.Title
	}
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": h.svc.FileName(e, title)}))
	if e.FileSize > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(e.FileSize, 10))
	}
	w.Header().Set("Cache-Control", "private, max-age=0")
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, rc)
}
