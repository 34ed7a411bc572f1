package generation

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// Handler serves the generation API.
type Handler struct {
	svc     *Service
	maxBody int64
}

// NewHandler returns the HTTP handlers of svc.
func NewHandler(svc *Service, maxBody int64) *Handler {
	return &Handler{svc: svc, maxBody: maxBody}
}

// Routes registers the generation routes on mux.
func (h *Handler) Routes(mux httpapi.Mux) {
	auth := httpapi.RequireAuth
	mux.HandleFunc("POST /api/stories/{id}/generate", auth(h.generate))
	mux.HandleFunc("POST /api/stories/{id}/generate/preview", auth(h.preview))
	mux.HandleFunc("GET /api/stories/{id}/generate/preview", auth(h.preview))
	mux.HandleFunc("GET /api/stories/{id}/generations", auth(h.storyHistory))
	mux.HandleFunc("GET /api/stories/{id}/provenance", auth(h.provenance))
	mux.HandleFunc("GET /api/generations", auth(h.userHistory))
	mux.HandleFunc("GET /api/generations/{id}", auth(h.get))
	mux.HandleFunc("POST /api/generations/{id}/accept", auth(h.accept))
	mux.HandleFunc("GET /api/ai/usage", auth(h.usage))
	h.pipelineRoutes(mux)
}

func who(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var req Request
	if r.Method == http.MethodPost {
		if err := httpapi.Decode(w, r, h.maxBody, &req); err != nil {
			httpapi.Error(w, r, err)
			return
		}
	} else if req, err = requestFromQuery(r); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	pv, err := h.svc.Preview(r.Context(), who(r), id, req)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, pv)
}

// requestFromQuery reads a preview request from the query string.
func requestFromQuery(r *http.Request) (Request, error) {
	q := r.URL.Query()
	req := Request{Mode: q.Get("mode"), ChapterID: q.Get("chapter_id"), SceneID: q.Get("scene_id"),
		Instruction: q.Get("instruction"), Selection: q.Get("selection")}
	if v := q.Get("pinned"); v != "" {
		req.Pinned = strings.Split(v, ",")
	}
	for field, dst := range map[string]*int{"budget": &req.Budget, "words": &req.Words} {
		if v := q.Get(field); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return req, errs.Field(field, "%s must be an integer", field)
			}
			*dst = n
		}
	}
	return req, nil
}

// wantsStream reports whether the client asked for server-sent events: the
// default, unless the body says "stream": false or the client accepts only JSON.
func wantsStream(r *http.Request, req Request) bool {
	if req.Stream != nil {
		return *req.Stream
	}
	accept := r.Header.Get("Accept")
	return !strings.Contains(accept, "application/json") || strings.Contains(accept, "text/event-stream")
}

func (h *Handler) generate(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var req Request
	if err := httpapi.Decode(w, r, h.maxBody, &req); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if !wantsStream(r, req) {
		g, err := h.svc.Generate(r.Context(), who(r), id, req, nil)
		if err != nil {
			httpapi.Error(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/generations/"+g.ID)
		httpapi.JSON(w, http.StatusCreated, g)
		return
	}
	sse := httpapi.NewEventStream(w)
	defer sse.Close()
	g, err := h.svc.Generate(r.Context(), who(r), id, req, func(ev Event) error {
		if ev.Start != nil {
			sse.Begin()
			return sse.Send("start", map[string]any{"generation_id": ev.Start.ID, "provider": ev.Start.Provider,
				"model": ev.Start.Model, "offline": ev.Start.Offline, "manifest": ev.Start.Manifest})
		}
		return sse.Send("delta", map[string]string{"text": ev.Delta})
	})
	if !sse.Started() {
		// Refused before the stream began: an ordinary error answer.
		httpapi.Error(w, r, err)
		return
	}
	if err != nil {
		status, code := httpapi.Status(errs.KindOf(err))
		var e *errs.Error
		msg := "internal error"
		if errors.As(err, &e) {
			if e.Code != "" {
				code = e.Code
			}
			msg = e.Message
		}
		_ = sse.Send("error", map[string]any{"status": status, "code": code, "message": msg, "generation": g})
		return
	}
	_ = sse.Send("done", g)
}

func historyFilter(r *http.Request) (HistoryFilter, error) {
	q := r.URL.Query()
	f := HistoryFilter{ChapterID: q.Get("chapter_id"), SceneID: q.Get("scene_id"), PipelineID: q.Get("pipeline_id"),
		Before: q.Get("cursor")}
	for field, v := range map[string]string{"chapter_id": f.ChapterID, "scene_id": f.SceneID, "pipeline_id": f.PipelineID, "cursor": f.Before} {
		if v != "" && len(v) != 36 {
			return f, errs.Field(field, "%s must be a UUID", field)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return f, errs.Field("limit", "limit must be between 1 and %d", MaxPageSize)
		}
		f.Limit = n
	}
	return f, nil
}

func (h *Handler) storyHistory(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := historyFilter(r)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	page, err := h.svc.StoryHistory(r.Context(), who(r), id, f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, page)
}

func (h *Handler) userHistory(w http.ResponseWriter, r *http.Request) {
	f, err := historyFilter(r)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	page, err := h.svc.UserHistory(r.Context(), who(r), f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, page)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	g, err := h.svc.Generation(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, g)
}

func (h *Handler) accept(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in AcceptInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	out, err := h.svc.Accept(r.Context(), who(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, out)
}

func (h *Handler) provenance(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	p, err := h.svc.Provenance(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, p)
}

func (h *Handler) usage(w http.ResponseWriter, r *http.Request) {
	u, err := h.svc.Usage(r.Context(), who(r).UserID)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, struct {
		*Usage
		ProviderInfo
	}{u, h.svc.Provider()})
}
