package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The story bible: characters, relationships, world entries and facts.

type bibleCharacter struct {
	ID          string          `json:"id"`
	StoryID     string          `json:"story_id"`
	Name        string          `json:"name"`
	Role        string          `json:"role"`
	Description string          `json:"description"`
	Background  string          `json:"background"`
	Traits      json.RawMessage `json:"traits"`
	Aliases     []string        `json:"aliases"`
	Version     int             `json:"version"`
}

type bibleRelationship struct {
	ID                 string `json:"id"`
	StoryID            string `json:"story_id"`
	FromCharacterID    string `json:"from_character_id"`
	ToCharacterID      string `json:"to_character_id"`
	Kind               string `json:"kind"`
	Description        string `json:"description"`
	Direction          string `json:"direction"`
	OtherCharacterID   string `json:"other_character_id"`
	OtherCharacterName string `json:"other_character_name"`
}

type bibleEntry struct {
	ID          string          `json:"id"`
	StoryID     string          `json:"story_id"`
	Kind        string          `json:"kind"`
	Name        string          `json:"name"`
	Aliases     []string        `json:"aliases"`
	Description string          `json:"description"`
	Details     json.RawMessage `json:"details"`
	Version     int             `json:"version"`
}

type bibleFact struct {
	ID           string  `json:"id"`
	StoryID      string  `json:"story_id"`
	CharacterID  *string `json:"character_id"`
	EntryID      *string `json:"entry_id"`
	Fact         string  `json:"fact"`
	FromChapter  *int    `json:"from_chapter"`
	UntilChapter *int    `json:"until_chapter"`
}

// bibleCreate POSTs body to path, expects 201 with a Location naming the new
// record under want, and decodes it into v.
func (a *testApp) bibleCreate(t testing.TB, token, path, want string, body, v any) {
	t.Helper()
	r := a.do(t, req{Method: "POST", Path: path, Token: token, Body: body}).expect(t, http.StatusCreated, "")
	r.into(t, v)
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, want) || len(loc) != len(want)+36 {
		t.Fatalf("POST %s: Location = %q, want %s{id}", path, loc, want)
	}
}

// expectField checks that r is a 400 naming field, in error.field and the message.
func expectInvalidField(t *testing.T, r *response, field string) {
	t.Helper()
	r.expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	if r.Error.Field != field {
		t.Fatalf("error field = %q, want %q (message %q)", r.Error.Field, field, r.Error.Message)
	}
	if !strings.Contains(r.Error.Message, field) {
		t.Fatalf("error message %q does not name the field %q", r.Error.Message, field)
	}
}

// bibleAccess is one request and the status each caller gets for it.
type bibleAccess struct {
	method, path string
	body         any
}

// expectAccess sends each request as each caller (token "" is anonymous) and
// checks the answer's status and code.
func (a *testApp) expectAccess(t testing.TB, reqs []bibleAccess, token string, status int, code string) {
	t.Helper()
	for _, x := range reqs {
		r := a.do(t, req{Method: x.method, Path: x.path, Token: token, Body: x.body})
		if r.Status != status || r.Error == nil || r.Error.Code != code {
			t.Fatalf("%s %s: status %d, want %d %s; body: %s", x.method, x.path, r.Status, status, code, r.Raw)
		}
	}
}

func idsOf[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = id(v)
	}
	slices.Sort(out)
	return out
}

func sortedCopy(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestBible(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			owner := a.register(t, "bibleowner").AccessToken
			editor := a.register(t, "bibleeditor").AccessToken
			viewer := a.register(t, "bibleviewer").AccessToken
			stranger := a.register(t, "biblestranger").AccessToken
			st := a.createStory(t, owner, "The Salt Road")
			other := a.createStory(t, owner, "Another Book")
			a.addCollaborator(t, owner, st.ID, "bibleeditor", "editor")
			a.addCollaborator(t, owner, st.ID, "bibleviewer", "viewer")

			var mara, jonah, outsider bibleCharacter
			t.Run("characters", func(t *testing.T) {
				r := a.do(t, req{Method: "POST", Path: "/api/characters", Token: owner, Body: map[string]any{
					"story_id": st.ID, "name": "  Mara Voss ", "role": "protagonist", "description": "A smuggler.\nTired.",
					"traits": map[string]any{"eyes": "grey"}, "aliases": []string{"Mara", "the Captain"},
				}}).expect(t, http.StatusCreated, "")
				r.into(t, &mara)
				if r.Header.Get("Location") != "/api/characters/"+mara.ID || r.Header.Get("ETag") != `"1"` {
					t.Fatalf("Location %q, ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
				}
				if mara.Name != "Mara Voss" || mara.StoryID != st.ID || mara.Role != "protagonist" || mara.Version != 1 ||
					mara.Description != "A smuggler.\nTired." || string(mara.Traits) != `{"eyes":"grey"}` ||
					!slices.Equal(mara.Aliases, []string{"Mara", "the Captain"}) {
					t.Fatalf("created %+v", mara)
				}
				a.bibleCreate(t, editor, "/api/characters", "/api/characters/", map[string]any{"story_id": st.ID, "name": "Jonah"}, &jonah)
				if jonah.Role != "supporting" || string(jonah.Traits) != "{}" || jonah.Aliases == nil || len(jonah.Aliases) != 0 {
					t.Fatalf("defaults: %+v", jonah)
				}
				a.bibleCreate(t, owner, "/api/characters", "/api/characters/", map[string]any{"story_id": other.ID, "name": "Outsider"}, &outsider)

				var list []bibleCharacter
				a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/characters", Token: viewer}).expect(t, http.StatusOK, "").into(t, &list)
				if got, want := idsOf(list, func(c bibleCharacter) string { return c.ID }), sortedCopy(mara.ID, jonah.ID); !slices.Equal(got, want) {
					t.Fatalf("list = %v, want %v", got, want)
				}
				var got bibleCharacter
				r = a.do(t, req{Method: "GET", Path: "/api/characters/" + mara.ID, Token: viewer}).expect(t, http.StatusOK, "")
				r.into(t, &got)
				if got.Name != mara.Name || r.Header.Get("ETag") != `"1"` {
					t.Fatalf("get %+v, ETag %q", got, r.Header.Get("ETag"))
				}

				// Update with the version in the body, then with If-Match.
				a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: editor, Body: map[string]any{
					"version": 1, "background": "Born at sea.", "aliases": []string{"Captain Voss"},
				}}).expect(t, http.StatusOK, "").into(t, &got)
				if got.Version != 2 || got.Background != "Born at sea." || got.Description != mara.Description ||
					!slices.Equal(got.Aliases, []string{"Captain Voss"}) {
					t.Fatalf("updated %+v", got)
				}
				var current bibleCharacter
				a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner, Body: map[string]any{
					"version": 1, "name": "Mara",
				}}).expect(t, http.StatusConflict, "VERSION_CONFLICT").into(t, &current)
				if current.Version != 2 || current.Background != "Born at sea." || current.Name != "Mara Voss" {
					t.Fatalf("conflict carries %+v, want the current character", current)
				}
				a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner, Header: map[string]string{"If-Match": `"1"`},
					Body: map[string]any{"name": "Mara"}}).expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED").into(t, &current)
				if current.Version != 2 {
					t.Fatalf("412 carries version %d, want 2", current.Version)
				}
				r = a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner, Header: map[string]string{"If-Match": `"2"`},
					Body: map[string]any{"role": "antagonist"}}).expect(t, http.StatusOK, "")
				r.into(t, &mara)
				if mara.Version != 3 || mara.Role != "antagonist" || r.Header.Get("ETag") != `"3"` {
					t.Fatalf("If-Match update: %+v, ETag %q", mara, r.Header.Get("ETag"))
				}
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner,
					Body: map[string]any{"name": "Mara"}}), "version")
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner,
					Body: map[string]any{"version": 3, "story_id": other.ID}}), "story_id")
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: owner,
					Body: map[string]any{"version": 3, "name": "Captain Voss"}}), "name") // now one of the aliases
			})

			t.Run("character validation", func(t *testing.T) {
				long := func(n int) string { return strings.Repeat("x", n) }
				many := make([]string, 51)
				for i := range many {
					many[i] = "alias " + strconv.Itoa(i)
				}
				cases := []struct {
					name  string
					body  map[string]any
					field string
				}{
					{"no story", map[string]any{"name": "X"}, "story_id"},
					{"bad story id", map[string]any{"story_id": "nope", "name": "X"}, "story_id"},
					{"no name", map[string]any{"story_id": st.ID}, "name"},
					{"blank name", map[string]any{"story_id": st.ID, "name": "   "}, "name"},
					{"long name", map[string]any{"story_id": st.ID, "name": long(201)}, "name"},
					{"bad role", map[string]any{"story_id": st.ID, "name": "X", "role": "hero"}, "role"},
					{"long description", map[string]any{"story_id": st.ID, "name": "X", "description": long(20001)}, "description"},
					{"long background", map[string]any{"story_id": st.ID, "name": "X", "background": long(20001)}, "background"},
					{"traits not an object", map[string]any{"story_id": st.ID, "name": "X", "traits": []int{1}}, "traits"},
					{"empty alias", map[string]any{"story_id": st.ID, "name": "X", "aliases": []string{" "}}, "aliases[0]"},
					{"repeated alias", map[string]any{"story_id": st.ID, "name": "X", "aliases": []string{"Red", "RED"}}, "aliases[1]"},
					{"alias is the name", map[string]any{"story_id": st.ID, "name": "Mara", "aliases": []string{"mara"}}, "aliases[0]"},
					{"long alias", map[string]any{"story_id": st.ID, "name": "X", "aliases": []string{long(101)}}, "aliases[0]"},
					{"too many aliases", map[string]any{"story_id": st.ID, "name": "X", "aliases": many}, "aliases"},
					{"version on create", map[string]any{"story_id": st.ID, "name": "X", "version": 1}, "version"},
					{"unknown field", map[string]any{"story_id": st.ID, "name": "X", "age": 30}, "age"},
					{"wrong type", map[string]any{"story_id": st.ID, "name": 7}, "name"},
				}
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) {
						expectInvalidField(t, a.do(t, req{Method: "POST", Path: "/api/characters", Token: owner, Body: c.body}), c.field)
					})
				}
			})

			var sister bibleRelationship
			t.Run("relationships", func(t *testing.T) {
				path := "/api/characters/" + mara.ID + "/relationships"
				a.bibleCreate(t, owner, path, "/api/relationships/", map[string]any{
					"to_character_id": jonah.ID, "kind": "sister", "description": "Older by a year.",
				}, &sister)
				if sister.Direction != "outgoing" || sister.OtherCharacterID != jonah.ID || sister.OtherCharacterName != "Jonah" ||
					sister.FromCharacterID != mara.ID || sister.ToCharacterID != jonah.ID || sister.StoryID != st.ID {
					t.Fatalf("created %+v", sister)
				}
				var rival bibleRelationship
				a.bibleCreate(t, editor, "/api/characters/"+jonah.ID+"/relationships", "/api/relationships/",
					map[string]any{"to_character_id": mara.ID, "kind": "rival"}, &rival)

				var list []bibleRelationship
				a.do(t, req{Method: "GET", Path: "/api/characters/" + jonah.ID + "/relationships", Token: viewer}).
					expect(t, http.StatusOK, "").into(t, &list)
				if len(list) != 2 {
					t.Fatalf("Jonah has %d relationships, want 2: %+v", len(list), list)
				}
				for _, r := range list {
					want := map[string]string{sister.ID: "incoming", rival.ID: "outgoing"}[r.ID]
					if r.Direction != want || r.OtherCharacterID != mara.ID || r.OtherCharacterName != "Mara Voss" {
						t.Fatalf("from Jonah, %s is %+v; want %s with Mara Voss", r.Kind, r, want)
					}
				}
				a.do(t, req{Method: "GET", Path: path, Token: viewer}).expect(t, http.StatusOK, "").into(t, &list)
				if len(list) != 2 {
					t.Fatalf("Mara has %d relationships, want 2", len(list))
				}
				var got bibleRelationship
				a.do(t, req{Method: "GET", Path: "/api/relationships/" + rival.ID, Token: viewer}).expect(t, http.StatusOK, "").into(t, &got)
				if got.Kind != "rival" || got.Direction != "outgoing" || got.OtherCharacterName != "Mara Voss" {
					t.Fatalf("get %+v", got)
				}

				r := a.do(t, req{Method: "POST", Path: path, Token: owner, Body: map[string]any{"to_character_id": jonah.ID, "kind": "Sister"}}).
					expect(t, http.StatusConflict, "CONFLICT")
				if r.Error.Field != "kind" {
					t.Fatalf("duplicate names field %q, want kind", r.Error.Field)
				}
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": mara.ID, "kind": "self"}}), "to_character_id")
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": outsider.ID, "kind": "friend"}}), "to_character_id")
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": "00000000-0000-4000-8000-000000000000", "kind": "friend"}}), "to_character_id")
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": "nope", "kind": "friend"}}), "to_character_id")
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": jonah.ID, "kind": " "}}), "kind")
				expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner,
					Body: map[string]any{"to_character_id": jonah.ID, "kind": strings.Repeat("k", 51)}}), "kind")

				a.do(t, req{Method: "DELETE", Path: "/api/relationships/" + rival.ID, Token: editor}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/relationships/" + rival.ID, Token: owner}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			var harbour, key bibleEntry
			t.Run("entries", func(t *testing.T) {
				path := "/api/stories/" + st.ID + "/entries"
				a.bibleCreate(t, owner, path, "/api/entries/", map[string]any{
					"kind": "location", "name": "Harbour of Ys", "aliases": []string{"Ys"}, "details": map[string]any{"climate": "wet"},
				}, &harbour)
				if harbour.Kind != "location" || harbour.Version != 1 || string(harbour.Details) != `{"climate":"wet"}` ||
					!slices.Equal(harbour.Aliases, []string{"Ys"}) || harbour.StoryID != st.ID {
					t.Fatalf("created %+v", harbour)
				}
				a.bibleCreate(t, editor, path, "/api/entries/", map[string]any{"kind": "object", "name": "Brass Key"}, &key)
				var rumour bibleEntry
				a.bibleCreate(t, editor, path, "/api/entries/", map[string]any{"name": "The Drowned Choir"}, &rumour)
				if rumour.Kind != "other" || string(rumour.Details) != "{}" {
					t.Fatalf("defaults: %+v", rumour)
				}

				var list []bibleEntry
				a.do(t, req{Method: "GET", Path: path, Token: viewer}).expect(t, http.StatusOK, "").into(t, &list)
				if len(list) != 3 {
					t.Fatalf("%d entries, want 3", len(list))
				}
				a.do(t, req{Method: "GET", Path: path + "?kind=location", Token: viewer}).expect(t, http.StatusOK, "").into(t, &list)
				if len(list) != 1 || list[0].ID != harbour.ID {
					t.Fatalf("locations = %+v", list)
				}
				expectInvalidField(t, a.do(t, req{Method: "GET", Path: path + "?kind=planet", Token: viewer}), "kind")

				var got bibleEntry
				r := a.do(t, req{Method: "GET", Path: "/api/entries/" + harbour.ID, Token: viewer}).expect(t, http.StatusOK, "")
				if r.Header.Get("ETag") != `"1"` {
					t.Fatalf("ETag %q", r.Header.Get("ETag"))
				}
				a.do(t, req{Method: "PUT", Path: "/api/entries/" + harbour.ID, Token: editor, Body: map[string]any{
					"version": 1, "description": "Grey water, grey stone.", "details": map[string]any{"climate": "cold"},
				}}).expect(t, http.StatusOK, "").into(t, &got)
				if got.Version != 2 || got.Description != "Grey water, grey stone." || string(got.Details) != `{"climate":"cold"}` || got.Name != harbour.Name {
					t.Fatalf("updated %+v", got)
				}
				var current bibleEntry
				a.do(t, req{Method: "PUT", Path: "/api/entries/" + harbour.ID, Token: owner, Body: map[string]any{"version": 1, "name": "Ys"}}).
					expect(t, http.StatusConflict, "VERSION_CONFLICT").into(t, &current)
				if current.Version != 2 || current.Description != "Grey water, grey stone." {
					t.Fatalf("conflict carries %+v", current)
				}
				a.do(t, req{Method: "PUT", Path: "/api/entries/" + harbour.ID, Token: owner, Header: map[string]string{"If-Match": `"1"`},
					Body: map[string]any{"name": "Ys"}}).expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/entries/" + harbour.ID, Token: owner, Body: map[string]any{"name": "Ys"}}), "version")

				for _, c := range []struct {
					body  map[string]any
					field string
				}{
					{map[string]any{"kind": "planet", "name": "X"}, "kind"},
					{map[string]any{"kind": "lore"}, "name"},
					{map[string]any{"name": "X", "details": "cold"}, "details"},
					{map[string]any{"name": "X", "aliases": []string{"a", "A"}}, "aliases[1]"},
					{map[string]any{"name": "X", "description": strings.Repeat("d", 20001)}, "description"},
					{map[string]any{"name": "X", "version": 1}, "version"},
				} {
					expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner, Body: c.body}), c.field)
				}

				a.do(t, req{Method: "DELETE", Path: "/api/entries/" + rumour.ID, Token: editor}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/entries/" + rumour.ID, Token: owner}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			var hands, lostHand, captain, fears, frozen bibleFact
			t.Run("facts", func(t *testing.T) {
				path := "/api/stories/" + st.ID + "/facts"
				a.bibleCreate(t, owner, path, "/api/facts/", map[string]any{
					"character_id": mara.ID, "fact": "Mara has both hands.", "until_chapter": 11}, &hands)
				a.bibleCreate(t, editor, path, "/api/facts/", map[string]any{
					"character_id": mara.ID, "fact": "Mara has lost her left hand.", "from_chapter": 12}, &lostHand)
				a.bibleCreate(t, editor, path, "/api/facts/", map[string]any{
					"character_id": mara.ID, "fact": "Mara captains the Gull.", "from_chapter": 3, "until_chapter": 20}, &captain)
				a.bibleCreate(t, editor, path, "/api/facts/", map[string]any{
					"character_id": jonah.ID, "fact": "Jonah fears deep water."}, &fears)
				a.bibleCreate(t, editor, path, "/api/facts/", map[string]any{
					"entry_id": harbour.ID, "fact": "The harbour is frozen.", "from_chapter": 5, "until_chapter": 6}, &frozen)
				if hands.CharacterID == nil || *hands.CharacterID != mara.ID || hands.EntryID != nil || hands.FromChapter != nil ||
					hands.UntilChapter == nil || *hands.UntilChapter != 11 {
					t.Fatalf("created %+v", hands)
				}

				list := func(query string) []string {
					t.Helper()
					var l []bibleFact
					a.do(t, req{Method: "GET", Path: path + query, Token: viewer}).expect(t, http.StatusOK, "").into(t, &l)
					return idsOf(l, func(f bibleFact) string { return f.ID })
				}
				for _, c := range []struct {
					query string
					want  []string
				}{
					{"", sortedCopy(hands.ID, lostHand.ID, captain.ID, fears.ID, frozen.ID)},
					{"?as_of_chapter=1", sortedCopy(hands.ID, fears.ID)},
					{"?as_of_chapter=5", sortedCopy(hands.ID, captain.ID, fears.ID, frozen.ID)},
					{"?as_of_chapter=11", sortedCopy(hands.ID, captain.ID, fears.ID)},
					{"?as_of_chapter=12", sortedCopy(lostHand.ID, captain.ID, fears.ID)},
					{"?as_of_chapter=21", sortedCopy(lostHand.ID, fears.ID)},
					{"?character_id=" + mara.ID, sortedCopy(hands.ID, lostHand.ID, captain.ID)},
					{"?character_id=" + mara.ID + "&as_of_chapter=12", sortedCopy(lostHand.ID, captain.ID)},
					{"?entry_id=" + harbour.ID + "&as_of_chapter=6", sortedCopy(frozen.ID)},
					{"?entry_id=" + harbour.ID + "&as_of_chapter=7", sortedCopy()},
				} {
					if got := list(c.query); !slices.Equal(got, c.want) {
						t.Errorf("facts%s = %v, want %v", c.query, got, c.want)
					}
				}
				expectInvalidField(t, a.do(t, req{Method: "GET", Path: path + "?as_of_chapter=0", Token: viewer}), "as_of_chapter")
				expectInvalidField(t, a.do(t, req{Method: "GET", Path: path + "?as_of_chapter=x", Token: viewer}), "as_of_chapter")
				expectInvalidField(t, a.do(t, req{Method: "GET", Path: path + "?character_id=x", Token: viewer}), "character_id")

				for _, c := range []struct {
					name  string
					body  map[string]any
					field string
				}{
					{"no subject", map[string]any{"fact": "x"}, "character_id"},
					{"two subjects", map[string]any{"character_id": mara.ID, "entry_id": harbour.ID, "fact": "x"}, "entry_id"},
					{"character of another story", map[string]any{"character_id": outsider.ID, "fact": "x"}, "character_id"},
					{"entry not found", map[string]any{"entry_id": "00000000-0000-4000-8000-000000000000", "fact": "x"}, "entry_id"},
					{"no fact", map[string]any{"character_id": mara.ID}, "fact"},
					{"long fact", map[string]any{"character_id": mara.ID, "fact": strings.Repeat("f", 2001)}, "fact"},
					{"chapter zero", map[string]any{"character_id": mara.ID, "fact": "x", "from_chapter": 0}, "from_chapter"},
					{"until before from", map[string]any{"character_id": mara.ID, "fact": "x", "from_chapter": 4, "until_chapter": 3}, "until_chapter"},
					{"chapter not a number", map[string]any{"character_id": mara.ID, "fact": "x", "from_chapter": "four"}, "from_chapter"},
				} {
					t.Run(c.name, func(t *testing.T) {
						expectInvalidField(t, a.do(t, req{Method: "POST", Path: path, Token: owner, Body: c.body}), c.field)
					})
				}

				// Absent bounds stay, null ones are cleared.
				var got bibleFact
				a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: editor,
					Body: map[string]any{"fact": "Mara captains the Grey Gull."}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: editor,
					Body: map[string]any{"version": 1, "fact": "Mara captains the Grey Gull."}}).expect(t, http.StatusOK, "").into(t, &got)
				// A second writer who read version 1 does not overwrite it.
				a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: owner,
					Body: map[string]any{"version": 1, "fact": "Mara lost the Grey Gull."}}).expect(t, http.StatusConflict, "VERSION_CONFLICT")
				if got.Fact != "Mara captains the Grey Gull." || got.FromChapter == nil || *got.FromChapter != 3 || *got.UntilChapter != 20 {
					t.Fatalf("updated %+v", got)
				}
				a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: editor, Header: map[string]string{"If-Match": `"2"`},
					Body: map[string]any{"until_chapter": nil}}).expect(t, http.StatusOK, "").into(t, &got)
				if got.UntilChapter != nil || *got.FromChapter != 3 {
					t.Fatalf("cleared until: %+v", got)
				}
				a.do(t, req{Method: "GET", Path: "/api/facts/" + captain.ID, Token: viewer}).expect(t, http.StatusOK, "").into(t, &got)
				if got.UntilChapter != nil || got.Fact != "Mara captains the Grey Gull." {
					t.Fatalf("stored %+v", got)
				}
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: editor,
					Body: map[string]any{"version": 3, "until_chapter": 2}}), "until_chapter")
				expectInvalidField(t, a.do(t, req{Method: "PUT", Path: "/api/facts/" + captain.ID, Token: editor,
					Body: map[string]any{"version": 3, "character_id": jonah.ID}}), "character_id")

				var gone bibleFact
				a.bibleCreate(t, editor, path, "/api/facts/", map[string]any{"entry_id": key.ID, "fact": "The key opens nothing."}, &gone)
				a.do(t, req{Method: "DELETE", Path: "/api/facts/" + gone.ID, Token: editor}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/facts/" + gone.ID, Token: editor}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("bible lookup", func(t *testing.T) {
				bible, err := a.Content.Bible(context.Background(), st.ID, 12)
				if err != nil {
					t.Fatal(err)
				}
				if len(bible.Characters) != 2 || len(bible.Relationships) != 1 || len(bible.Entries) != 2 {
					t.Fatalf("bible has %d characters, %d relationships, %d entries; want 2, 1, 2",
						len(bible.Characters), len(bible.Relationships), len(bible.Entries))
				}
				var facts []string
				for _, f := range bible.Facts {
					facts = append(facts, f.ID)
				}
				slices.Sort(facts)
				if want := sortedCopy(lostHand.ID, captain.ID, fears.ID); !slices.Equal(facts, want) {
					t.Fatalf("facts in force at chapter 12 = %v, want %v", facts, want)
				}
				all, err := a.Content.Bible(context.Background(), st.ID, 0)
				if err != nil || len(all.Facts) != 5 {
					t.Fatalf("Bible(0) = %d facts, %v; want all 5", len(all.Facts), err)
				}
				if _, err := a.Content.Bible(context.Background(), "00000000-0000-4000-8000-000000000000", 1); err == nil {
					t.Fatal("Bible of a missing story succeeded")
				}
			})

			t.Run("access", func(t *testing.T) {
				c, e, f := "/api/characters/"+mara.ID, "/api/entries/"+harbour.ID, "/api/facts/"+hands.ID
				sp := "/api/stories/" + st.ID
				writes := []bibleAccess{
					{"POST", "/api/characters", map[string]any{"story_id": st.ID, "name": "Nobody"}},
					{"PUT", c, map[string]any{"version": mara.Version, "name": "Nobody"}},
					{"DELETE", c, nil},
					{"POST", c + "/relationships", map[string]any{"to_character_id": jonah.ID, "kind": "friend"}},
					{"DELETE", "/api/relationships/" + sister.ID, nil},
					{"POST", sp + "/entries", map[string]any{"name": "Nowhere"}},
					{"PUT", e, map[string]any{"version": 2, "name": "Nowhere"}},
					{"DELETE", e, nil},
					{"POST", sp + "/facts", map[string]any{"character_id": mara.ID, "fact": "x"}},
					{"PUT", f, map[string]any{"version": 1, "fact": "x"}},
					{"DELETE", f, nil},
				}
				reads := []bibleAccess{
					{"GET", sp + "/characters", nil},
					{"GET", c, nil},
					{"GET", c + "/relationships", nil},
					{"GET", "/api/relationships/" + sister.ID, nil},
					{"GET", sp + "/entries", nil},
					{"GET", e, nil},
					{"GET", sp + "/facts", nil},
					{"GET", f, nil},
				}
				all := append(slices.Clone(writes), reads...)
				a.expectAccess(t, writes, viewer, http.StatusForbidden, "FORBIDDEN")
				a.expectAccess(t, all, stranger, http.StatusNotFound, "NOT_FOUND")
				a.expectAccess(t, all, "", http.StatusUnauthorized, "UNAUTHORIZED")

				// Readers of a published story do not see its bible.
				a.do(t, req{Method: "PUT", Path: sp, Token: owner, Body: map[string]any{"version": st.Version, "visibility": "public"}}).
					expect(t, http.StatusOK, "")
				a.do(t, req{Method: "POST", Path: sp + "/publish", Token: owner}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: sp, Token: stranger}).expect(t, http.StatusOK, "")
				a.expectAccess(t, all, stranger, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("deleting a character takes its relationships and facts", func(t *testing.T) {
				a.do(t, req{Method: "DELETE", Path: "/api/characters/" + mara.ID, Token: editor}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/characters/" + mara.ID, Token: owner}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "GET", Path: "/api/relationships/" + sister.ID, Token: owner}).expect(t, http.StatusNotFound, "NOT_FOUND")
				var rels []bibleRelationship
				a.do(t, req{Method: "GET", Path: "/api/characters/" + jonah.ID + "/relationships", Token: owner}).
					expect(t, http.StatusOK, "").into(t, &rels)
				if len(rels) != 0 {
					t.Fatalf("Jonah still has %+v", rels)
				}
				var facts []bibleFact
				a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/facts", Token: owner}).expect(t, http.StatusOK, "").into(t, &facts)
				if got, want := idsOf(facts, func(f bibleFact) string { return f.ID }), sortedCopy(fears.ID, frozen.ID); !slices.Equal(got, want) {
					t.Fatalf("facts left = %v, want %v", got, want)
				}
			})

			t.Run("events", func(t *testing.T) {
				rows, err := a.DB.Query(`SELECT topic FROM outbox_events WHERE CAST(payload AS TEXT) LIKE $1`, "%"+st.ID+"%")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				seen := map[string]bool{}
				for rows.Next() {
					var topic string
					if err := rows.Scan(&topic); err != nil {
						t.Fatal(err)
					}
					seen[topic] = true
				}
				for _, topic := range []string{"character.created", "character.updated", "character.deleted",
					"relationship.created", "relationship.deleted", "entry.created", "entry.updated", "entry.deleted",
					"fact.created", "fact.updated", "fact.deleted"} {
					if !seen[topic] {
						t.Errorf("no %s event for the story", topic)
					}
				}
			})

			t.Run("a story in the trash", func(t *testing.T) {
				a.do(t, req{Method: "DELETE", Path: "/api/stories/" + st.ID + "?confirm=" + url.QueryEscape(st.Title), Token: owner}).
					expect(t, http.StatusOK, "")
				a.do(t, req{Method: "POST", Path: "/api/characters", Token: owner, Body: map[string]any{"story_id": st.ID, "name": "Late"}}).
					expect(t, http.StatusConflict, "CONFLICT")
				a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/facts", Token: owner,
					Body: map[string]any{"character_id": jonah.ID, "fact": "x"}}).expect(t, http.StatusConflict, "CONFLICT")
				a.do(t, req{Method: "DELETE", Path: "/api/characters/" + jonah.ID, Token: owner}).expect(t, http.StatusConflict, "CONFLICT")
				a.do(t, req{Method: "GET", Path: "/api/characters/" + jonah.ID, Token: owner}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/characters/" + jonah.ID, Token: editor}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})
		})
	}
}
