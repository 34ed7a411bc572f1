package content

import (
	"net/http"

	"github.com/authorworks/authorworks/internal/httpapi"
)

func (h *Handler) bibleRoutes(mux httpapi.Mux) {
	mux.HandleFunc("POST /api/characters", httpapi.RequireAuth(h.createCharacter))
	mux.HandleFunc("GET /api/stories/{id}/characters", httpapi.RequireAuth(h.listCharacters))
	mux.HandleFunc("GET /api/characters/{id}", httpapi.RequireAuth(h.getCharacter))
	mux.HandleFunc("PUT /api/characters/{id}", httpapi.RequireAuth(h.updateCharacter))
	mux.HandleFunc("DELETE /api/characters/{id}", httpapi.RequireAuth(h.deleteCharacter))

	mux.HandleFunc("POST /api/characters/{id}/relationships", httpapi.RequireAuth(h.createRelationship))
	mux.HandleFunc("GET /api/characters/{id}/relationships", httpapi.RequireAuth(h.listRelationships))
	mux.HandleFunc("GET /api/relationships/{id}", httpapi.RequireAuth(h.getRelationship))
	mux.HandleFunc("DELETE /api/relationships/{id}", httpapi.RequireAuth(h.deleteRelationship))

	mux.HandleFunc("POST /api/stories/{id}/entries", httpapi.RequireAuth(h.createEntry))
	mux.HandleFunc("GET /api/stories/{id}/entries", httpapi.RequireAuth(h.listEntries))
	mux.HandleFunc("GET /api/entries/{id}", httpapi.RequireAuth(h.getEntry))
	mux.HandleFunc("PUT /api/entries/{id}", httpapi.RequireAuth(h.updateEntry))
	mux.HandleFunc("DELETE /api/entries/{id}", httpapi.RequireAuth(h.deleteEntry))

	mux.HandleFunc("POST /api/stories/{id}/facts", httpapi.RequireAuth(h.createFact))
	mux.HandleFunc("GET /api/stories/{id}/facts", httpapi.RequireAuth(h.listFacts))
	mux.HandleFunc("GET /api/facts/{id}", httpapi.RequireAuth(h.getFact))
	mux.HandleFunc("PUT /api/facts/{id}", httpapi.RequireAuth(h.updateFact))
	mux.HandleFunc("DELETE /api/facts/{id}", httpapi.RequireAuth(h.deleteFact))
}

func (h *Handler) createCharacter(w http.ResponseWriter, r *http.Request) {
	var in CharacterInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.CreateCharacter(r.Context(), principal(r), in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/characters/"+c.ID)
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusCreated, c)
}

func (h *Handler) listCharacters(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Characters(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getCharacter(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.Character(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusOK, c)
}

func (h *Handler) updateCharacter(w http.ResponseWriter, r *http.Request) {
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
	var in CharacterInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	c, err := h.svc.UpdateCharacter(r.Context(), principal(r), id, in, match)
	if err != nil {
		httpapi.Error(w, r, preconditionIfMatched(err, match))
		return
	}
	w.Header().Set("ETag", etag(c.Version))
	httpapi.JSON(w, http.StatusOK, c)
}

func (h *Handler) deleteCharacter(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteCharacter(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

func (h *Handler) createRelationship(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in RelationshipInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	rel, err := h.svc.CreateRelationship(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/relationships/"+rel.ID)
	httpapi.JSON(w, http.StatusCreated, rel)
}

func (h *Handler) listRelationships(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Relationships(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getRelationship(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	rel, err := h.svc.Relationship(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, rel)
}

func (h *Handler) deleteRelationship(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteRelationship(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

func (h *Handler) createEntry(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in EntryInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	e, err := h.svc.CreateEntry(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/entries/"+e.ID)
	w.Header().Set("ETag", etag(e.Version))
	httpapi.JSON(w, http.StatusCreated, e)
}

func (h *Handler) listEntries(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Entries(r.Context(), principal(r), id, r.URL.Query().Get("kind"))
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getEntry(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	e, err := h.svc.Entry(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(e.Version))
	httpapi.JSON(w, http.StatusOK, e)
}

func (h *Handler) updateEntry(w http.ResponseWriter, r *http.Request) {
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
	var in EntryInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	e, err := h.svc.UpdateEntry(r.Context(), principal(r), id, in, match)
	if err != nil {
		httpapi.Error(w, r, preconditionIfMatched(err, match))
		return
	}
	w.Header().Set("ETag", etag(e.Version))
	httpapi.JSON(w, http.StatusOK, e)
}

func (h *Handler) deleteEntry(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteEntry(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}

func (h *Handler) createFact(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in FactInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := h.svc.CreateFact(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/facts/"+f.ID)
	httpapi.JSON(w, http.StatusCreated, f)
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

func (h *Handler) listFacts(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := factFilter(r)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	list, err := h.svc.Facts(r.Context(), principal(r), id, f)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, list)
}

func (h *Handler) getFact(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := h.svc.Fact(r.Context(), principal(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, f)
}

func (h *Handler) updateFact(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in FactInput
	if err := httpapi.Decode(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	f, err := h.svc.UpdateFact(r.Context(), principal(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, f)
}

func (h *Handler) deleteFact(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	if err := h.svc.DeleteFact(r.Context(), principal(r), id); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, map[string]bool{"deleted": true})
}
