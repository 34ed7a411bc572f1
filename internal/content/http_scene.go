package content

import (
	"net/http"

	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) sceneRoutes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/chapters/{id}/scenes", httpapi.RequireAuth(h.createScene))
	mux.HandleFunc("GET /api/chapters/{id}/scenes", httpapi.OptionalAuth(h.listScenes))
	mux.HandleFunc("PUT /api/chapters/{id}/scenes/order", httpapi.RequireAuth(h.reorderScenes))
	mux.HandleFunc("GET /api/scenes/{id}", httpapi.OptionalAuth(h.getScene))
	mux.HandleFunc("PUT /api/scenes/{id}", httpapi.RequireAuth(h.updateScene))
	mux.HandleFunc("DELETE /api/scenes/{id}", httpapi.RequireAuth(h.deleteScene))
	mux.HandleFunc("POST /api/scenes/{id}/move", httpapi.RequireAuth(h.moveScene))
	mux.HandleFunc("GET /api/scenes/{id}/versions", httpapi.RequireAuth(h.listSceneVersions))
	mux.HandleFunc("GET /api/scenes/{id}/versions/{n}", httpapi.RequireAuth(h.getSceneVersion))
	mux.HandleFunc("POST /api/scenes/{id}/versions/{n}/restore", httpapi.RequireAuth(h.restoreSceneVersion))
	mux.HandleFunc("GET /api/scenes/{id}/diff", httpapi.RequireAuth(h.diffSceneVersions))
}

func sceneViews(list []*Scene) []SceneView {
	out := make([]SceneView, len(list))
	for i, sc := range list {
		out[i] = sc.View(formatNone)
	}
	return out
}

func (h *Handler) createScene(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in SceneInput
	if err := httpapi.Decode(w, r, MaxContentBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	sc, err := h.svc.CreateScene(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/scenes/"+sc.ID)
	w.Header().Set("ETag", etag(sc.Version))
	httpapi.JSON(w, http.StatusCreated, sc.View(FormatJSON))
}

func (h *Handler) listScenes(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Scenes(r.Context(), caller(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, sceneViews(list))
}

func (h *Handler) getScene(w http.ResponseWriter, r *http.Request) {
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
	sc, _, err := h.svc.Scene(r.Context(), caller(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(sc.Version))
	httpapi.JSON(w, http.StatusOK, sc.View(f))
}

func (h *Handler) updateScene(w http.ResponseWriter, r *http.Request) {
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
	var in SceneInput
	if err := httpapi.Decode(w, r, MaxContentBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	sc, err := h.svc.UpdateScene(r.Context(), principal(r), id, in, match)
	if err != nil {
		httpapi.Error(w, r, preconditionIfMatched(err, match))
		return
	}
	w.Header().Set("ETag", etag(sc.Version))
	httpapi.JSON(w, http.StatusOK, sc.View(FormatJSON))
}

func (h *Handler) deleteScene(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteScene(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

type sceneOrderInput struct {
	SceneIDs []string `json:"scene_ids"`
}

func (h *Handler) reorderScenes(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in sceneOrderInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.ReorderScenes(r.Context(), principal(r), id, in.SceneIDs)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, sceneViews(list))
}

func (h *Handler) moveScene(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in MoveInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	sc, err := h.svc.MoveScene(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(sc.Version))
	httpapi.JSON(w, http.StatusOK, sc.View(formatNone))
}

func (h *Handler) listSceneVersions(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.SceneVersions(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getSceneVersion(w http.ResponseWriter, r *http.Request) {
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
	v, err := h.svc.SceneVersion(r.Context(), principal(r), id, n)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, v)
}

func (h *Handler) restoreSceneVersion(w http.ResponseWriter, r *http.Request) {
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
	sc, err := h.svc.RestoreSceneVersion(r.Context(), principal(r), id, n, in.Version)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(sc.Version))
	httpapi.JSON(w, http.StatusOK, sc.View(FormatJSON))
}

func (h *Handler) diffSceneVersions(w http.ResponseWriter, r *http.Request) {
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
	d, err := h.svc.DiffSceneVersions(r.Context(), principal(r), id, from, to)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, d)
}
