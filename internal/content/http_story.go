package content

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// Handler serves the Content service's HTTP API.
type Handler struct {
	svc     *Service
	maxBody int64
}

// NewHandler returns the HTTP handlers of svc. maxBody caps metadata bodies;
// content bodies may be larger (MaxContentBody).
func NewHandler(svc *Service, maxBody int64) *Handler {
	return &Handler{svc: svc, maxBody: maxBody}
}

// MaxContentBody caps a request that carries chapter or scene content.
const MaxContentBody = 8 << 20

// Routes registers the service's routes on mux.
func (h *Handler) Routes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/stories", httpapi.RequireAuth(h.createStory))
	mux.HandleFunc("GET /api/stories", httpapi.RequireAuth(h.listStories))
	mux.HandleFunc("GET /api/stories/{id}", httpapi.OptionalAuth(h.getStory))
	mux.HandleFunc("PUT /api/stories/{id}", httpapi.RequireAuth(h.updateStory))
	mux.HandleFunc("DELETE /api/stories/{id}", httpapi.RequireAuth(h.deleteStory))
	mux.HandleFunc("POST /api/stories/{id}/publish", httpapi.RequireAuth(h.publish(true)))
	mux.HandleFunc("POST /api/stories/{id}/unpublish", httpapi.RequireAuth(h.publish(false)))
	mux.HandleFunc("POST /api/stories/{id}/restore", httpapi.RequireAuth(h.restoreStory))
	h.chapterRoutes(mux)
	h.sceneRoutes(mux)
	h.collaboratorRoutes(mux)
	h.bibleRoutes(mux)
}

// caller returns the signed-in caller, or nil for an anonymous request.
func caller(r *http.Request) *auth.Principal {
	if p, ok := auth.FromContext(r.Context()); ok {
		return &p
	}
	return nil
}

func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

// ifMatch reads an If-Match header holding a version ETag ("3"); 0 when absent.
func ifMatch(r *http.Request) (int, error) {
	v := r.Header.Get("If-Match")
	if v == "" || v == "*" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil || n <= 0 {
		return 0, errs.Field("If-Match", "If-Match must be an ETag this API returned, like \"3\"")
	}
	return n, nil
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func (h *Handler) createStory(w http.ResponseWriter, r *http.Request) {
	var in StoryInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	st, err := h.svc.CreateStory(r.Context(), principal(r), in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/stories/"+st.ID)
	w.Header().Set("ETag", etag(st.Version))
	httpapi.JSON(w, http.StatusCreated, st.View(RoleOwner))
}

func (h *Handler) getStory(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	st, role, err := h.svc.Story(r.Context(), caller(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if role >= RoleViewer {
		w.Header().Set("ETag", etag(st.Version))
	}
	httpapi.JSON(w, http.StatusOK, st.View(role))
}

func (h *Handler) updateStory(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	match, err := ifMatch(r)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in StoryInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	st, role, err := h.svc.UpdateStory(r.Context(), principal(r), id, in, match)
	if err != nil {
		httpapi.Error(w, r, preconditionIfMatched(err, match))
		return
	}
	w.Header().Set("ETag", etag(st.Version))
	httpapi.JSON(w, http.StatusOK, st.View(role))
}

// preconditionIfMatched turns a version conflict into 412 when the client used If-Match.
func preconditionIfMatched(err error, match int) error {
	e, ok := err.(*errs.Error) //nolint:errorlint // services return *errs.Error unwrapped
	if match == 0 || !ok || e.Code != "VERSION_CONFLICT" {
		return err
	}
	return &errs.Error{Kind: errs.PreconditionFailed, Message: e.Message, Current: e.Current}
}

func (h *Handler) deleteStory(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteStory(r.Context(), principal(r), id, r.URL.Query().Get("confirm")); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]any{"deleted": true, "restorable_for_days": int(h.svc.trashGrace.Hours() / 24)})
}

func (h *Handler) publish(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := httpapi.PathUUID(r, "id")
		if err != nil {
			httpapi.Error(w, r, err)
			return
		}
		st, err := h.svc.SetPublished(r.Context(), principal(r), id, on)
		if err != nil {
			httpapi.Error(w, r, err)
			return
		}
		w.Header().Set("ETag", etag(st.Version))
		httpapi.JSON(w, http.StatusOK, st.View(RoleOwner))
	}
}

func (h *Handler) restoreStory(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	st, err := h.svc.RestoreStory(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, st.View(RoleOwner))
}

func (h *Handler) listStories(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := StoryFilter{Status: q.Get("status"), ContentType: q.Get("content_type"), Genre: q.Get("genre"),
		Query: q.Get("q"), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	if v := q.Get("trash"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			httpapi.Error(w, r, errs.Field("trash", "trash must be true or false"))
			return
		}
		f.Trash = b
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			httpapi.Error(w, r, errs.Field("limit", "limit must be an integer from 1 to 100"))
			return
		}
		f.Limit = n
	}
	page, err := h.svc.ListStories(r.Context(), principal(r), f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, page)
}
