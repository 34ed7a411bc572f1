package content

import (
	"net/http"
	"strconv"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) chapterRoutes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/stories/{id}/chapters", httpapi.RequireAuth(h.createChapter))
	mux.HandleFunc("GET /api/stories/{id}/chapters", httpapi.OptionalAuth(h.listChapters))
	mux.HandleFunc("PUT /api/stories/{id}/chapters/order", httpapi.RequireAuth(h.reorderChapters))
	mux.HandleFunc("GET /api/chapters/{id}", httpapi.OptionalAuth(h.getChapter))
	mux.HandleFunc("PUT /api/chapters/{id}", httpapi.RequireAuth(h.updateChapter))
	mux.HandleFunc("DELETE /api/chapters/{id}", httpapi.RequireAuth(h.deleteChapter))
	mux.HandleFunc("GET /api/chapters/{id}/versions", httpapi.RequireAuth(h.listVersions))
	mux.HandleFunc("GET /api/chapters/{id}/versions/{n}", httpapi.RequireAuth(h.getVersion))
	mux.HandleFunc("POST /api/chapters/{id}/versions/{n}/restore", httpapi.RequireAuth(h.restoreVersion))
	mux.HandleFunc("GET /api/chapters/{id}/diff", httpapi.RequireAuth(h.diffVersions))
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

func positiveInt(field, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errs.Field(field, "%s must be a positive integer", field)
	}
	return n, nil
}

func (h *Handler) createChapter(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in ChapterInput
	if err := httpapi.Decode(w, r, MaxContentBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.CreateChapter(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/chapters/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusCreated, c.View(FormatJSON))
}

func (h *Handler) listChapters(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Chapters(r.Context(), caller(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	out := make([]ChapterView, len(list))
	for i, c := range list {
		out[i] = c.View(formatNone)
	}
	httpapi.JSON(w, http.StatusOK, out)
}

func (h *Handler) getChapter(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := format(r, FormatJSON)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, _, err := h.svc.Chapter(r.Context(), caller(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusOK, c.View(f))
}

func (h *Handler) updateChapter(w http.ResponseWriter, r *http.Request) {
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
	var in ChapterInput
	if err := httpapi.Decode(w, r, MaxContentBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.UpdateChapter(r.Context(), principal(r), id, in, match)
	if err != nil {
		httpapi.Error(w, r, preconditionIfMatched(err, match))
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusOK, c.View(FormatJSON))
}

func (h *Handler) deleteChapter(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteChapter(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

type orderInput struct {
	ChapterIDs []string `json:"chapter_ids"`
}

func (h *Handler) reorderChapters(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in orderInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.ReorderChapters(r.Context(), principal(r), id, in.ChapterIDs)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	out := make([]ChapterView, len(list))
	for i, c := range list {
		out[i] = c.View(formatNone)
	}
	httpapi.JSON(w, http.StatusOK, out)
}

func (h *Handler) listVersions(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Versions(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getVersion(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	n, err := positiveInt("n", r.PathValue("n"))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	v, err := h.svc.Version(r.Context(), principal(r), id, n)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, v)
}

type restoreInput struct {
	Version int `json:"version"`
}

func (h *Handler) restoreVersion(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	n, err := positiveInt("n", r.PathValue("n"))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in restoreInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.RestoreVersion(r.Context(), principal(r), id, n, in.Version)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusOK, c.View(FormatJSON))
}

func (h *Handler) diffVersions(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	from, err := positiveInt("from", r.URL.Query().Get("from"))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	to, err := positiveInt("to", r.URL.Query().Get("to"))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	d, err := h.svc.DiffVersions(r.Context(), principal(r), id, from, to)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, d)
}
