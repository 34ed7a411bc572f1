package content

import (
	"net/http"

	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) bibleRoutes(mux httpapi.Mux) {
	auth := httpapi.RequireAuth
	max := h.maxBody

	mux.HandleFunc("POST /api/characters", auth(endpoint(max, func(c *call[CharacterInput]) (reply, error) {
		ch, err := h.svc.CreateCharacter(c.ctx(), c.who(), c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: ch, Version: ch.Version, Location: "/api/characters/" + ch.ID}, nil
	})))
	mux.HandleFunc("GET /api/stories/{id}/characters", auth(endpoint(max, func(c *call[none]) (reply, error) {
		list, err := h.svc.Characters(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/characters/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		ch, err := h.svc.Character(c.ctx(), c.who(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: ch, Version: ch.Version}, nil
	})))
	mux.HandleFunc("PUT /api/characters/{id}", auth(endpoint(max, func(c *call[CharacterInput]) (reply, error) {
		ch, err := h.svc.UpdateCharacter(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: ch, Version: ch.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/characters/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteCharacter(c.ctx(), c.who(), c.ID)
	})))

	mux.HandleFunc("POST /api/characters/{id}/relationships", auth(endpoint(max, func(c *call[RelationshipInput]) (reply, error) {
		rel, err := h.svc.CreateRelationship(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: rel, Location: "/api/relationships/" + rel.ID}, nil
	})))
	mux.HandleFunc("GET /api/characters/{id}/relationships", auth(endpoint(max, func(c *call[none]) (reply, error) {
		list, err := h.svc.Relationships(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/relationships/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		rel, err := h.svc.Relationship(c.ctx(), c.who(), c.ID)
		return ok(rel), err
	})))
	mux.HandleFunc("DELETE /api/relationships/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteRelationship(c.ctx(), c.who(), c.ID)
	})))

	mux.HandleFunc("POST /api/stories/{id}/entries", auth(endpoint(max, func(c *call[EntryInput]) (reply, error) {
		e, err := h.svc.CreateEntry(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: e, Version: e.Version, Location: "/api/entries/" + e.ID}, nil
	})))
	mux.HandleFunc("GET /api/stories/{id}/entries", auth(endpoint(max, func(c *call[none]) (reply, error) {
		list, err := h.svc.Entries(c.ctx(), c.who(), c.ID, c.query("kind"))
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/entries/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		e, err := h.svc.Entry(c.ctx(), c.who(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: e, Version: e.Version}, nil
	})))
	mux.HandleFunc("PUT /api/entries/{id}", auth(endpoint(max, func(c *call[EntryInput]) (reply, error) {
		e, err := h.svc.UpdateEntry(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: e, Version: e.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/entries/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteEntry(c.ctx(), c.who(), c.ID)
	})))

	mux.HandleFunc("POST /api/stories/{id}/facts", auth(endpoint(max, func(c *call[FactInput]) (reply, error) {
		f, err := h.svc.CreateFact(c.ctx(), c.who(), c.ID, c.In)
		if err != nil {
			return reply{}, err
		}
		return reply{Status: http.StatusCreated, Body: f, Version: f.Version, Location: "/api/facts/" + f.ID}, nil
	})))
	mux.HandleFunc("GET /api/stories/{id}/facts", auth(endpoint(max, func(c *call[none]) (reply, error) {
		filter, err := factFilter(c.r)
		if err != nil {
			return reply{}, err
		}
		list, err := h.svc.Facts(c.ctx(), c.who(), c.ID, filter)
		return ok(list), err
	})))
	mux.HandleFunc("GET /api/facts/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		f, err := h.svc.Fact(c.ctx(), c.who(), c.ID)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: f, Version: f.Version}, nil
	})))
	mux.HandleFunc("PUT /api/facts/{id}", auth(endpoint(max, func(c *call[FactInput]) (reply, error) {
		f, err := h.svc.UpdateFact(c.ctx(), c.who(), c.ID, c.In, c.Match)
		if err != nil {
			return reply{}, err
		}
		return reply{Body: f, Version: f.Version}, nil
	})))
	mux.HandleFunc("DELETE /api/facts/{id}", auth(endpoint(max, func(c *call[none]) (reply, error) {
		return deleted, h.svc.DeleteFact(c.ctx(), c.who(), c.ID)
	})))
}

// factFilter reads ?character_id=, ?entry_id= and ?as_of_chapter=.
func factFilter(r *http.Request) (FactFilter, error) {
	var (
		f   FactFilter
		err error
	)
	q := r.URL.Query()
	if v := q.Get("character_id"); v != "" {
		if f.CharacterID, err = parseID("character_id", v); err != nil {
			return f, err
		}
	}
	if v := q.Get("entry_id"); v != "" {
		if f.EntryID, err = parseID("entry_id", v); err != nil {
			return f, err
		}
	}
	if v := q.Get("as_of_chapter"); v != "" {
		if f.AsOfChapter, err = positiveInt("as_of_chapter", v); err != nil {
			return f, err
		}
	}
	return f, nil
}
