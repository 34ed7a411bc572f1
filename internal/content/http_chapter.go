package content

import (
	"net/http"
	"strconv"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) chapterRoutes(mux httpapi.Mux) {
	auth, anyone := httpapi.RequireAuth, httpapi.OptionalAuth

	mux.HandleFunc("POST /api/stories/{id}/chapters", auth(endpoint(MaxContentBody, func(c *call[ChapterInput]) (reply, error) {
		ch, err := h.svc.CreateChapter(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: ch.View(FormatJSON), Version: ch.Version, Location: "/api/chapters/" + ch.ID}, nil
	})))
	mux.HandleFunc("GET /api/stories/{id}/chapters", anyone(endpoint(0, func(c *call[none]) (reply, error) {
		list, err := h.svc.Chapters(c.ctx(), c.caller(), c.ID)
		return ok(chapterViews(list)), err
	})))
	mux.HandleFunc("PUT /api/stories/{id}/chapters/order", auth(endpoint(h.maxBody, func(c *call[orderInput]) (reply, error) {
		list, err := h.svc.ReorderChapters(c.ctx(), c.who(), c.ID, c.In.ChapterIDs)
		return ok(chapterViews(list)), err
	})))
	mux.HandleFunc("GET /api/chapters/{id}", anyone(endpoint(0, func(c *call[none]) (reply, error) {
		f, err := format(c.r, FormatJSON)
		if err != nil {
			return reply{}, err
		}
		ch, _, err := h.svc.Chapter(c.ctx(), c.caller(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: ch.View(f), Version: ch.Version}, nil
	})))
	mux.HandleFunc("PUT /api/chapters/{id}", auth(endpoint(MaxContentBody, func(c *call[ChapterInput]) (reply, error) {
		ch, err := h.svc.UpdateChapter(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: ch.View(FormatJSON), Version: ch.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/chapters/{id}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteChapter(c.ctx(), c.who(), c.ID)
	})))
	mux.HandleFunc("GET /api/chapters/{id}/versions", auth(endpoint(0, func(c *call[none]) (reply, error) {
		list, err := h.svc.Versions(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/chapters/{id}/versions/{n}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		n, err := positiveInt("n", c.path("n"))
		if err != nil {
			return reply{}, err
		}
		v, err := h.svc.Version(c.ctx(), c.who(), c.ID, n)
		return ok(v), err
	})))
	mux.HandleFunc("POST /api/chapters/{id}/versions/{n}/restore", auth(endpoint(h.maxBody, func(c *call[restoreInput]) (reply, error) {
		n, err := positiveInt("n", c.path("n"))
		if err != nil {
			return reply{}, err
		}
		ch, err := h.svc.RestoreVersion(c.ctx(), c.who(), c.ID, n, c.In.Version)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: ch.View(FormatJSON), Version: ch.Version}, nil
	})))
	mux.HandleFunc("GET /api/chapters/{id}/diff", auth(endpoint(0, func(c *call[none]) (reply, error) {
		from, to, err := diffRange(c)
		if err != nil {
			return reply{}, err
		}
		d, err := h.svc.DiffVersions(c.ctx(), c.who(), c.ID, from, to)
		return ok(d), err
	})))
}

type orderInput struct {
	ChapterIDs []string `json:"chapter_ids"`
}

type restoreInput struct {
	Version int `json:"version"`
}

func chapterViews(list []*Chapter) []ChapterView {
	out := make([]ChapterView, len(list))
	for i, c := range list {
		out[i] = c.View(formatNone)
	}
	return out
}

// format reads ?format=, defaulting to def.
func format(r *http.Request, def string) (string, error) {
	f := r.URL.Query().Get("format")
	if f == "" {
		return def, nil
	}
	switch f {
	case FormatJSON, FormatMarkdown, FormatFountain, FormatText:
		return f, nil
	}
	return "", errs.Field("format", "format must be json, markdown, fountain or text")
}

// diffRange reads ?from= and ?to=.
func diffRange(c *call[none]) (from, to int, err error) {
	if from, err = positiveInt("from", c.query("from")); err != nil {
		return 0, 0, err
	}
	to, err = positiveInt("to", c.query("to"))
	return from, to, err
}

func positiveInt(field, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errs.Field(field, "%s must be a positive integer", field)
	}
	return n, nil
}
