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
	auth, anyone := httpapi.RequireAuth, httpapi.OptionalAuth
	max := h.maxBody

	mux.HandleFunc("POST /api/stories", auth(endpoint(max, func(c *call[StoryInput]) (reply, error) {
		st, err := h.svc.CreateStory(c.ctx(), c.who(), c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: st.View(RoleOwner), Version: st.Version, Location: "/api/stories/" + st.ID}, nil
	})))
	mux.HandleFunc("GET /api/stories", auth(endpoint(0, func(c *call[none]) (reply, error) {
		f, err := storyFilter(c.r)
		if err != nil {
			return reply{}, err
		}
		page, err := h.svc.ListStories(c.ctx(), c.who(), f)
		return ok(page), err
	})))
	mux.HandleFunc("GET /api/stories/{id}", anyone(endpoint(0, func(c *call[none]) (reply, error) {
		st, role, err := h.svc.Story(c.ctx(), c.caller(), c.ID)
		if err != nil {
			return reply{}, err
		}
		rep := reply{Body: st.View(role)}
		if role >= RoleViewer {
			rep.Version = st.Version
		}
		return rep, nil
	})))
	mux.HandleFunc("PUT /api/stories/{id}", auth(endpoint(max, func(c *call[StoryInput]) (reply, error) {
		st, role, err := h.svc.UpdateStory(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: st.View(role), Version: st.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/stories/{id}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		if err := h.svc.DeleteStory(c.ctx(), c.who(), c.ID, c.query("confirm")); err != nil {
			return reply{}, err
		}
		return ok(map[string]any{"deleted": true, "restorable_for_days": int(h.svc.trashGrace.Hours() / 24)}), nil
	})))
	for _, publish := range []bool{true, false} {
		path := "POST /api/stories/{id}/publish"
		if !publish {
			path = "POST /api/stories/{id}/unpublish"
		}
		mux.HandleFunc(path, auth(endpoint(0, func(c *call[none]) (reply, error) {
			st, err := h.svc.SetPublished(c.ctx(), c.who(), c.ID, publish)
			if err != nil {
				return reply{}, err
			}
			return reply{Body: st.View(RoleOwner), Version: st.Version}, nil
		})))
	}
	mux.HandleFunc("POST /api/stories/{id}/restore", auth(endpoint(0, func(c *call[none]) (reply, error) {
		st, err := h.svc.RestoreStory(c.ctx(), c.who(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return ok(st.View(RoleOwner)), nil
	})))
	h.chapterRoutes(mux)
	h.collaboratorRoutes(mux)
	h.bibleRoutes(mux)
	h.sceneRoutes(mux)
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

// preconditionIfMatched turns a version conflict into 412 when the client used If-Match.
func preconditionIfMatched(err error, match int) error {
	e, ok := err.(*errs.Error) //nolint:errorlint // services return *errs.Error unwrapped
	if match == 0 || !ok || e.Code != "VERSION_CONFLICT" {
		return err
	}
	return &errs.Error{Kind: errs.PreconditionFailed, Message: e.Message, Current: e.Current}
}

// storyFilter reads the list parameters of GET /api/stories.
func storyFilter(r *http.Request) (StoryFilter, error) {
	q := r.URL.Query()
	f := StoryFilter{Status: q.Get("status"), ContentType: q.Get("content_type"), Genre: q.Get("genre"),
		Query: q.Get("q"), Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	if v := q.Get("trash"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, errs.Field("trash", "trash must be true or false")
		}
		f.Trash = b
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return f, errs.Field("limit", "limit must be an integer from 1 to 100")
		}
		f.Limit = n
	}
	return f, nil
}
