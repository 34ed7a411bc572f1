package content

import (
	"net/http"

	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) sceneRoutes(mux httpapi.Mux) {
	auth, anyone := httpapi.RequireAuth, httpapi.OptionalAuth

	mux.HandleFunc("POST /api/chapters/{id}/scenes", auth(endpoint(MaxContentBody, func(c *call[SceneInput]) (reply, error) {
		sc, err := h.svc.CreateScene(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: sc.View(FormatJSON), Version: sc.Version, Location: "/api/scenes/" + sc.ID}, nil
	})))
	mux.HandleFunc("GET /api/chapters/{id}/scenes", anyone(endpoint(0, func(c *call[none]) (reply, error) {
		list, err := h.svc.Scenes(c.ctx(), c.caller(), c.ID)
		return ok(sceneViews(list)), err
	})))
	mux.HandleFunc("PUT /api/chapters/{id}/scenes/order", auth(endpoint(h.maxBody, func(c *call[sceneOrderInput]) (reply, error) {
		list, err := h.svc.ReorderScenes(c.ctx(), c.who(), c.ID, c.In.SceneIDs)
		return ok(sceneViews(list)), err
	})))
	mux.HandleFunc("GET /api/scenes/{id}", anyone(endpoint(0, func(c *call[none]) (reply, error) {
		f, err := format(c.r, FormatJSON)
		if err != nil {
			return reply{}, err
		}
		sc, _, err := h.svc.Scene(c.ctx(), c.caller(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: sc.View(f), Version: sc.Version}, nil
	})))
	mux.HandleFunc("PUT /api/scenes/{id}", auth(endpoint(MaxContentBody, func(c *call[SceneInput]) (reply, error) {
		sc, err := h.svc.UpdateScene(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: sc.View(FormatJSON), Version: sc.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/scenes/{id}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteScene(c.ctx(), c.who(), c.ID)
	})))
	mux.HandleFunc("POST /api/scenes/{id}/move", auth(endpoint(h.maxBody, func(c *call[MoveInput]) (reply, error) {
		sc, err := h.svc.MoveScene(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: sc.View(formatNone), Version: sc.Version}, nil
	})))
	mux.HandleFunc("GET /api/scenes/{id}/versions", auth(endpoint(0, func(c *call[none]) (reply, error) {
		list, err := h.svc.SceneVersions(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/scenes/{id}/versions/{n}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		n, err := positiveInt("n", c.path("n"))
		if err != nil {
			return reply{}, err
		}
		v, err := h.svc.SceneVersion(c.ctx(), c.who(), c.ID, n)
		return ok(v), err
	})))
	mux.HandleFunc("POST /api/scenes/{id}/versions/{n}/restore", auth(endpoint(h.maxBody, func(c *call[restoreInput]) (reply, error) {
		n, err := positiveInt("n", c.path("n"))
		if err != nil {
			return reply{}, err
		}
		sc, err := h.svc.RestoreSceneVersion(c.ctx(), c.who(), c.ID, n, c.In.Version)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: sc.View(FormatJSON), Version: sc.Version}, nil
	})))
	mux.HandleFunc("GET /api/scenes/{id}/diff", auth(endpoint(0, func(c *call[none]) (reply, error) {
		from, to, err := diffRange(c)
		if err != nil {
			return reply{}, err
		}
		d, err := h.svc.DiffSceneVersions(c.ctx(), c.who(), c.ID, from, to)
		return ok(d), err
	})))
}

type sceneOrderInput struct {
	SceneIDs []string `json:"scene_ids"`
}

func sceneViews(list []*Scene) []SceneView {
	out := make([]SceneView, len(list))
	for i, sc := range list {
		out[i] = sc.View(formatNone)
	}
	return out
}
