package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// scene is what the scene endpoints return.
type scene struct {
	ID             string  `json:"id"`
	ChapterID      string  `json:"chapter_id"`
	StoryID        string  `json:"story_id"`
	Number         int     `json:"scene_number"`
	Title          string  `json:"title"`
	Setting        string  `json:"setting"`
	POVCharacterID *string `json:"pov_character_id"`
	Card           struct {
		Goal        string   `json:"goal"`
		Beats       []string `json:"beats"`
		TargetWords int      `json:"target_words"`
	} `json:"card"`
	WordCount int             `json:"word_count"`
	Metadata  json.RawMessage `json:"metadata"`
	Version   int             `json:"version"`
	Content   json.RawMessage `json:"content"`
	Markdown  *string         `json:"markdown"`
	Fountain  *string         `json:"fountain"`
	Text      *string         `json:"text"`
}

func (a *testApp) createScene(t testing.TB, token, chapterID string, body map[string]any) scene {
	t.Helper()
	var sc scene
	r := a.do(t, req{Method: "POST", Path: "/api/chapters/" + chapterID + "/scenes", Token: token, Body: body}).
		expect(t, http.StatusCreated, "")
	r.into(t, &sc)
	if r.Header.Get("Location") != "/api/scenes/"+sc.ID || r.Header.Get("ETag") != `"1"` {
		t.Fatalf("Location = %q, ETag = %q", r.Header.Get("Location"), r.Header.Get("ETag"))
	}
	return sc
}

func (a *testApp) getScene(t testing.TB, token, id, format string) scene {
	t.Helper()
	var sc scene
	a.do(t, req{Method: "GET", Path: "/api/scenes/" + id + "?format=" + format, Token: token}).expect(t, http.StatusOK, "").into(t, &sc)
	return sc
}

func (a *testApp) saveScene(t testing.TB, token, id string, body map[string]any) scene {
	t.Helper()
	var sc scene
	a.do(t, req{Method: "PUT", Path: "/api/scenes/" + id, Token: token, Body: body}).expect(t, http.StatusOK, "").into(t, &sc)
	return sc
}

// sceneList lists a chapter's scenes and checks they are numbered 1..n in order
// and carry no content.
func (a *testApp) sceneList(t testing.TB, token, chapterID string) []scene {
	t.Helper()
	var list []scene
	a.do(t, req{Method: "GET", Path: "/api/chapters/" + chapterID + "/scenes", Token: token}).expect(t, http.StatusOK, "").into(t, &list)
	for i, sc := range list {
		if sc.Number != i+1 || sc.ChapterID != chapterID {
			t.Fatalf("scene %q at position %d has number %d, chapter %s", sc.Title, i+1, sc.Number, sc.ChapterID)
		}
		if sc.Content != nil || sc.Text != nil || sc.Markdown != nil {
			t.Fatalf("list carries content: %+v", sc)
		}
	}
	return list
}

func sceneTitles(list []scene) string {
	parts := make([]string, len(list))
	for i, sc := range list {
		parts[i] = sc.Title
	}
	return strings.Join(parts, ",")
}

func sceneIDs(list []scene) []string {
	out := make([]string, len(list))
	for i, sc := range list {
		out[i] = sc.ID
	}
	return out
}

// wordCount reads the word_count of whatever path returns.
func (a *testApp) wordCount(t testing.TB, token, path string) int {
	t.Helper()
	var v struct {
		WordCount int `json:"word_count"`
	}
	a.do(t, req{Method: "GET", Path: path, Token: token}).expect(t, http.StatusOK, "").into(t, &v)
	return v.WordCount
}

// checkWords checks a chapter's word count is its own words plus its scenes' and
// the story's is the sum of its chapters'.
func (a *testApp) checkWords(t testing.TB, token, storyID string, chapterWords map[string]int) {
	t.Helper()
	var chapters []chapter
	a.do(t, req{Method: "GET", Path: "/api/stories/" + storyID + "/chapters", Token: token}).expect(t, http.StatusOK, "").into(t, &chapters)
	sum := 0
	for _, c := range chapters {
		sum += c.WordCount
		if want, ok := chapterWords[c.ID]; ok && c.WordCount != want {
			t.Errorf("chapter %q word count = %d, want %d", c.Title, c.WordCount, want)
		}
	}
	if got := a.wordCount(t, token, "/api/stories/"+storyID); got != sum {
		t.Errorf("story word count = %d, want %d (the sum of its chapters')", got, sum)
	}
}

func TestScenes(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "scenewriter").AccessToken
			s := a.createStory(t, me, "Harbour Lights")
			one := a.createChapter(t, me, s.ID, "One", "Chapter one text.") // 3 words
			two := a.createChapter(t, me, s.ID, "Two", "Two words.")

			arrival := a.createScene(t, me, one.ID, map[string]any{
				"title": "Arrival", "markdown": "Alpha beta gamma.\n\nDelta epsilon.", "setting": "The docks at night",
				"card": map[string]any{"goal": "Mara reaches the harbour", "beats": []string{"she lands", "she meets Jonah"}, "target_words": 1500},
			})
			if arrival.Number != 1 || arrival.WordCount != 5 || arrival.Version != 1 || arrival.ChapterID != one.ID || arrival.StoryID != s.ID ||
				arrival.Setting != "The docks at night" || arrival.Card.Goal != "Mara reaches the harbour" ||
				!slices.Equal(arrival.Card.Beats, []string{"she lands", "she meets Jonah"}) || arrival.Card.TargetWords != 1500 ||
				arrival.POVCharacterID != nil || len(arrival.Content) == 0 {
				t.Fatalf("created scene = %+v", arrival)
			}
			empty := a.createScene(t, me, one.ID, map[string]any{"title": "Empty"})
			if empty.Number != 2 || empty.WordCount != 0 || string(empty.Content) != "[]" || empty.Card.Beats == nil || string(empty.Metadata) != "{}" {
				t.Fatalf("empty scene = %+v (content %s)", empty, empty.Content)
			}
			first := a.createScene(t, me, one.ID, map[string]any{"title": "Opening", "position": 1, "content": []any{}})
			if first.Number != 1 {
				t.Fatalf("scene created at position 1 has number %d", first.Number)
			}
			if got := sceneTitles(a.sceneList(t, me, one.ID)); got != "Opening,Arrival,Empty" {
				t.Fatalf("order = %s", got)
			}
			a.checkWords(t, me, s.ID, map[string]int{one.ID: 3 + 5, two.ID: 2})

			t.Run("get in every format", func(t *testing.T) {
				r := a.do(t, req{Method: "GET", Path: "/api/scenes/" + arrival.ID, Token: me}).expect(t, http.StatusOK, "")
				if r.Header.Get("ETag") != `"1"` {
					t.Errorf("ETag = %q", r.Header.Get("ETag"))
				}
				var sc scene
				r.into(t, &sc)
				if len(sc.Content) < 10 || sc.Markdown != nil || sc.Text != nil {
					t.Fatalf("default format = %+v", sc)
				}
				if sc = a.getScene(t, me, arrival.ID, "markdown"); sc.Markdown == nil || strings.TrimSpace(*sc.Markdown) != "Alpha beta gamma.\n\nDelta epsilon." || sc.Content != nil {
					t.Fatalf("markdown = %+v", sc)
				}
				if sc = a.getScene(t, me, arrival.ID, "text"); sc.Text == nil || *sc.Text != "Alpha beta gamma.\n\nDelta epsilon." {
					t.Fatalf("text = %+v", sc)
				}
				if sc = a.getScene(t, me, arrival.ID, "fountain"); sc.Fountain == nil || !strings.Contains(*sc.Fountain, "Alpha beta gamma.") {
					t.Fatalf("fountain = %+v", sc)
				}
				if sc = a.getScene(t, me, arrival.ID, "json"); len(sc.Content) < 10 {
					t.Fatalf("json = %+v", sc)
				}
				r = a.do(t, req{Method: "GET", Path: "/api/scenes/" + arrival.ID + "?format=docx", Token: me}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != "format" {
					t.Errorf("field = %q", r.Error.Field)
				}
				a.do(t, req{Method: "GET", Path: "/api/scenes/not-a-uuid", Token: me}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "GET", Path: "/api/scenes/" + s.ID, Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("create from fountain", func(t *testing.T) {
				sc := a.createScene(t, me, two.ID, map[string]any{"title": "Scripted", "fountain": "INT. HARBOUR - NIGHT\n\nMara waits.\n"})
				if sc.WordCount == 0 {
					t.Fatalf("fountain scene has no words: %+v", sc)
				}
				a.do(t, req{Method: "DELETE", Path: "/api/scenes/" + sc.ID, Token: me}).expect(t, http.StatusOK, "")
			})

			t.Run("update, stale versions and validation", func(t *testing.T) {
				r := a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me,
					Body: map[string]any{"version": 1, "title": "Arrival at night", "markdown": "Alpha beta."}}).expect(t, http.StatusOK, "")
				var sc scene
				r.into(t, &sc)
				if sc.Version != 2 || sc.WordCount != 2 || sc.Title != "Arrival at night" || r.Header.Get("ETag") != `"2"` ||
					sc.Setting != "The docks at night" || sc.Card.TargetWords != 1500 {
					t.Fatalf("saved scene = %+v, ETag %s", sc, r.Header.Get("ETag"))
				}
				a.checkWords(t, me, s.ID, map[string]int{one.ID: 3 + 2, two.ID: 2})

				r = a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me,
					Body: map[string]any{"version": 1, "markdown": "Stale."}}).expect(t, http.StatusConflict, "VERSION_CONFLICT")
				var cur scene
				r.into(t, &cur)
				if cur.Version != 2 || cur.ID != arrival.ID || len(cur.Content) == 0 {
					t.Fatalf("conflict data = %+v", cur)
				}
				r = a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me, Header: map[string]string{"If-Match": `"1"`},
					Body: map[string]any{"markdown": "Stale."}}).expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
				if r.into(t, &cur); cur.Version != 2 {
					t.Fatalf("412 data = %+v", cur)
				}
				a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me, Header: map[string]string{"If-Match": `"2"`},
					Body: map[string]any{"setting": "The quay"}}).expect(t, http.StatusOK, "")
				r = a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me, Body: map[string]any{"title": "No version"}}).
					expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != "version" {
					t.Errorf("field = %q", r.Error.Field)
				}

				sc = a.getScene(t, me, arrival.ID, "text")
				long := strings.Repeat("x", 2001)
				beats := make([]string, 101)
				for i := range beats {
					beats[i] = "beat"
				}
				for name, tc := range map[string]struct {
					body  string
					field string
				}{
					"unknown card key":      {`{"card":{"goal":"g","mood":"grim"}}`, "card.mood"},
					"card not an object":    {`{"card":["goal"]}`, "card"},
					"goal too long":         {`{"card":{"goal":"` + long + `"}}`, "card.goal"},
					"goal not a string":     {`{"card":{"goal":7}}`, "card.goal"},
					"beats not strings":     {`{"card":{"beats":[1]}}`, "card.beats"},
					"too many beats":        {`{"card":{"beats":` + mustJSON(t, beats) + `}}`, "card.beats"},
					"beat too long":         {`{"card":{"beats":["ok","` + long + `"]}}`, "card.beats[1]"},
					"empty beat":            {`{"card":{"beats":["  "]}}`, "card.beats[0]"},
					"fractional target":     {`{"card":{"target_words":1.5}}`, "card.target_words"},
					"negative target":       {`{"card":{"target_words":-1}}`, "card.target_words"},
					"huge target":           {`{"card":{"target_words":1000001}}`, "card.target_words"},
					"target as string":      {`{"card":{"target_words":"100"}}`, "card.target_words"},
					"setting too long":      {`{"setting":"` + strings.Repeat("s", 501) + `"}`, "setting"},
					"metadata not object":   {`{"metadata":[1]}`, "metadata"},
					"pov not a uuid":        {`{"pov_character_id":"mara"}`, "pov_character_id"},
					"position on update":    {`{"position":1}`, "position"},
					"two content forms":     {`{"markdown":"a","content":[]}`, "content"},
					"bad document":          {`{"content":[{"type":"script","children":[{"text":"x"}]}]}`, "content"},
					"unknown top-level key": {`{"mood":"grim"}`, "mood"},
				} {
					t.Run(name, func(t *testing.T) {
						body := `{"version":` + fmt.Sprint(sc.Version) + `,` + strings.TrimPrefix(tc.body, "{")
						r := a.do(t, req{Method: "PUT", Path: "/api/scenes/" + arrival.ID, Token: me, RawBody: body}).
							expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
						if !strings.HasPrefix(r.Error.Field, tc.field) {
							t.Errorf("field = %q, want %q (%s)", r.Error.Field, tc.field, r.Error.Message)
						}
					})
				}
				if after := a.getScene(t, me, arrival.ID, "text"); after.Version != sc.Version || *after.Text != "Alpha beta." {
					t.Fatalf("scene after rejected saves = v%d %q", after.Version, *after.Text)
				}
				sc = a.saveScene(t, me, arrival.ID, map[string]any{"version": sc.Version, "card": nil, "metadata": map[string]any{"mood": "grim"}})
				if sc.Card.Goal != "" || len(sc.Card.Beats) != 0 || sc.Card.TargetWords != 0 || string(sc.Metadata) != `{"mood":"grim"}` {
					t.Fatalf("card cleared = %+v", sc)
				}
			})

			t.Run("point-of-view character from the same story", func(t *testing.T) {
				other := a.createStory(t, me, "Other Book")
				var mara, outsider struct{ ID string }
				a.do(t, req{Method: "POST", Path: "/api/characters", Token: me, Body: map[string]any{"story_id": s.ID, "name": "Mara"}}).
					expect(t, http.StatusCreated, "").into(t, &mara)
				a.do(t, req{Method: "POST", Path: "/api/characters", Token: me, Body: map[string]any{"story_id": other.ID, "name": "Outsider"}}).
					expect(t, http.StatusCreated, "").into(t, &outsider)
				sc := a.getScene(t, me, empty.ID, "json")
				r := a.do(t, req{Method: "PUT", Path: "/api/scenes/" + empty.ID, Token: me,
					Body: map[string]any{"version": sc.Version, "pov_character_id": outsider.ID}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != "pov_character_id" {
					t.Errorf("field = %q", r.Error.Field)
				}
				r = a.do(t, req{Method: "POST", Path: "/api/chapters/" + one.ID + "/scenes", Token: me,
					Body: map[string]any{"title": "x", "pov_character_id": outsider.ID}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				if r.Error.Field != "pov_character_id" {
					t.Errorf("field = %q", r.Error.Field)
				}
				sc = a.saveScene(t, me, empty.ID, map[string]any{"version": sc.Version, "pov_character_id": mara.ID})
				if sc.POVCharacterID == nil || *sc.POVCharacterID != mara.ID {
					t.Fatalf("pov = %v", sc.POVCharacterID)
				}
				sc = a.saveScene(t, me, empty.ID, map[string]any{"version": sc.Version, "title": "Still Mara's"})
				if sc.POVCharacterID == nil || *sc.POVCharacterID != mara.ID {
					t.Fatalf("pov after a title change = %v", sc.POVCharacterID)
				}
				sc = a.saveScene(t, me, empty.ID, map[string]any{"version": sc.Version, "pov_character_id": nil})
				if sc.POVCharacterID != nil {
					t.Fatalf("pov after null = %v", *sc.POVCharacterID)
				}
				sc = a.saveScene(t, me, empty.ID, map[string]any{"version": sc.Version, "pov_character_id": mara.ID})
				a.do(t, req{Method: "DELETE", Path: "/api/characters/" + mara.ID, Token: me}).expect(t, http.StatusOK, "")
				if sc = a.getScene(t, me, empty.ID, "json"); sc.POVCharacterID != nil {
					t.Fatalf("pov after the character was deleted = %v", *sc.POVCharacterID)
				}
			})

			t.Run("delete closes the gap and the word counts follow", func(t *testing.T) {
				a.do(t, req{Method: "DELETE", Path: "/api/scenes/" + arrival.ID, Token: me}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/scenes/" + arrival.ID, Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "DELETE", Path: "/api/scenes/" + arrival.ID, Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
				if got := sceneTitles(a.sceneList(t, me, one.ID)); got != "Opening,Still Mara's" {
					t.Fatalf("order after delete = %s", got)
				}
				a.checkWords(t, me, s.ID, map[string]int{one.ID: 3, two.ID: 2})
			})

			t.Run("chapter saves keep their scenes' words", func(t *testing.T) {
				a.saveScene(t, me, first.ID, map[string]any{"version": 1, "markdown": "Four more scene words."})
				a.checkWords(t, me, s.ID, map[string]int{one.ID: 3 + 4})
				var c chapter
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID, Token: me}).expect(t, http.StatusOK, "").into(t, &c)
				a.Clock.Advance(6 * time.Minute) // a version of its own, apart from the chapter's first
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + one.ID, Token: me,
					Body: map[string]any{"version": c.Version, "markdown": "Chapter one, now five words."}}).expect(t, http.StatusOK, "").into(t, &c)
				if c.WordCount != 5+4 {
					t.Errorf("saved chapter word count = %d, want 9", c.WordCount)
				}
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + one.ID, Token: me,
					Body: map[string]any{"version": c.Version, "title": "One, renamed"}}).expect(t, http.StatusOK, "").into(t, &c)
				a.checkWords(t, me, s.ID, map[string]int{one.ID: 5 + 4})
				a.do(t, req{Method: "POST", Path: "/api/chapters/" + one.ID + "/versions/1/restore", Token: me,
					Body: map[string]int{"version": c.Version}}).expect(t, http.StatusOK, "").into(t, &c)
				if c.WordCount != 3+4 {
					t.Errorf("restored chapter word count = %d, want 7", c.WordCount)
				}
				a.checkWords(t, me, s.ID, map[string]int{one.ID: 3 + 4})
			})

			t.Run("deleting a chapter takes its scenes", func(t *testing.T) {
				a.do(t, req{Method: "DELETE", Path: "/api/chapters/" + one.ID, Token: me}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/scenes/" + first.ID, Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "GET", Path: "/api/chapters/" + one.ID + "/scenes", Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.checkWords(t, me, s.ID, map[string]int{two.ID: 2})
			})
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSceneOrder(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "sceneorderer").AccessToken
			s := a.createStory(t, me, "Order Book")
			c := a.createChapter(t, me, s.ID, "One", "")
			elsewhere := a.createChapter(t, me, s.ID, "Two", "")
			foreign := a.createScene(t, me, elsewhere.ID, map[string]any{"title": "Foreign"})
			x := a.createScene(t, me, c.ID, map[string]any{"title": "X"})
			y := a.createScene(t, me, c.ID, map[string]any{"title": "Y"})
			z := a.createScene(t, me, c.ID, map[string]any{"title": "Z"})
			path := "/api/chapters/" + c.ID + "/scenes/order"

			for name, tc := range map[string]struct {
				ids   []string
				field string
			}{
				"missing one": {[]string{x.ID, y.ID}, "scene_ids"},
				"duplicate":   {[]string{x.ID, y.ID, x.ID}, "scene_ids[2]"},
				"foreign id":  {[]string{x.ID, y.ID, foreign.ID}, "scene_ids[2]"},
				"one extra":   {[]string{x.ID, y.ID, z.ID, foreign.ID}, "scene_ids"},
				"empty":       {[]string{}, "scene_ids"},
			} {
				t.Run(name, func(t *testing.T) {
					r := a.do(t, req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"scene_ids": tc.ids}}).
						expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
					if r.Error.Field != tc.field {
						t.Errorf("field = %q, want %q (%s)", r.Error.Field, tc.field, r.Error.Message)
					}
				})
			}
			if got := sceneTitles(a.sceneList(t, me, c.ID)); got != "X,Y,Z" {
				t.Fatalf("order after bad reorders = %s", got)
			}
			var list []scene
			a.do(t, req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"scene_ids": []string{z.ID, x.ID, y.ID}}}).
				expect(t, http.StatusOK, "").into(t, &list)
			if got := sceneTitles(list); got != "Z,X,Y" {
				t.Fatalf("reorder answered %s", got)
			}
			if got := sceneTitles(a.sceneList(t, me, c.ID)); got != "Z,X,Y" {
				t.Fatalf("order = %s", got)
			}

			t.Run("concurrent creates and reorders keep numbering gap-free", func(t *testing.T) {
				order := sceneIDs(a.sceneList(t, me, c.ID))
				statuses := make(chan int, 16)
				var wg sync.WaitGroup
				for i := range 16 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var r *response
						switch i % 4 {
						case 0:
							r = a.do(t, req{Method: "POST", Path: "/api/chapters/" + c.ID + "/scenes", Token: me,
								Body: map[string]any{"title": fmt.Sprintf("P%d", i), "position": 1, "markdown": "one two"}})
						case 1, 2:
							r = a.do(t, req{Method: "POST", Path: "/api/chapters/" + c.ID + "/scenes", Token: me,
								Body: map[string]any{"title": fmt.Sprintf("E%d", i), "markdown": "three"}})
						default:
							// Valid until the first concurrent create lands; then a 400.
							r = a.do(t, req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"scene_ids": order}})
						}
						statuses <- r.Status
					}()
				}
				wg.Wait()
				close(statuses)
				for st := range statuses {
					if st != http.StatusCreated && st != http.StatusOK && st != http.StatusBadRequest {
						t.Errorf("concurrent request answered %d", st)
					}
				}
				list := a.sceneList(t, me, c.ID) // checks 1..n in order
				if len(list) != 3+12 {
					t.Fatalf("%d scenes after 12 concurrent creates, want 15: %s", len(list), sceneTitles(list))
				}
				a.checkWords(t, me, s.ID, map[string]int{c.ID: 4*2 + 8*1})

				// Reorder the full list from several clients at once, each a
				// different permutation: every one is valid, the last one wins.
				ids := sceneIDs(list)
				wg = sync.WaitGroup{}
				for i := range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						perm := slices.Clone(ids)
						for j := range perm {
							k := (j*7 + i) % len(perm)
							perm[j], perm[k] = perm[k], perm[j]
						}
						if r := a.do(t, req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"scene_ids": perm}}); r.Status != http.StatusOK {
							t.Errorf("concurrent reorder answered %d: %s", r.Status, r.Raw)
						}
					}()
				}
				wg.Wait()
				after := a.sceneList(t, me, c.ID)
				got := sceneIDs(after)
				slices.Sort(got)
				want := slices.Clone(ids)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Fatalf("scenes after concurrent reorders differ")
				}
				a.do(t, req{Method: "DELETE", Path: "/api/scenes/" + after[3].ID, Token: me}).expect(t, http.StatusOK, "")
				a.sceneList(t, me, c.ID)
			})
		})
	}
}

func TestSceneMove(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "scenemover").AccessToken
			s := a.createStory(t, me, "Moving Book")
			cx := a.createChapter(t, me, s.ID, "X", "One two three.")
			cy := a.createChapter(t, me, s.ID, "Y", "Four five.")
			x1 := a.createScene(t, me, cx.ID, map[string]any{"title": "x1", "markdown": "Six seven."})
			x2 := a.createScene(t, me, cx.ID, map[string]any{"title": "x2", "markdown": "Eight nine ten."})
			x3 := a.createScene(t, me, cx.ID, map[string]any{"title": "x3", "markdown": "Eleven."})
			y1 := a.createScene(t, me, cy.ID, map[string]any{"title": "y1", "markdown": "Twelve thirteen."})
			a.checkWords(t, me, s.ID, map[string]int{cx.ID: 3 + 6, cy.ID: 2 + 2})
			move := func(id string, body map[string]any) scene {
				t.Helper()
				var sc scene
				a.do(t, req{Method: "POST", Path: "/api/scenes/" + id + "/move", Token: me, Body: body}).expect(t, http.StatusOK, "").into(t, &sc)
				return sc
			}

			sc := move(x2.ID, map[string]any{"chapter_id": cy.ID, "position": 1})
			if sc.ChapterID != cy.ID || sc.Number != 1 || sc.Version != x2.Version {
				t.Fatalf("moved scene = %+v", sc)
			}
			if got := sceneTitles(a.sceneList(t, me, cx.ID)); got != "x1,x3" {
				t.Fatalf("X after move = %s", got)
			}
			if got := sceneTitles(a.sceneList(t, me, cy.ID)); got != "x2,y1" {
				t.Fatalf("Y after move = %s", got)
			}
			a.checkWords(t, me, s.ID, map[string]int{cx.ID: 3 + 3, cy.ID: 2 + 5})

			move(x1.ID, map[string]any{"chapter_id": cy.ID}) // to the end
			if got := sceneTitles(a.sceneList(t, me, cy.ID)); got != "x2,y1,x1" {
				t.Fatalf("Y after move to the end = %s", got)
			}
			if got := sceneTitles(a.sceneList(t, me, cx.ID)); got != "x3" {
				t.Fatalf("X = %s", got)
			}
			move(x1.ID, map[string]any{"chapter_id": cy.ID, "position": 1}) // within the chapter
			if got := sceneTitles(a.sceneList(t, me, cy.ID)); got != "x1,x2,y1" {
				t.Fatalf("Y after a move within it = %s", got)
			}
			a.checkWords(t, me, s.ID, map[string]int{cx.ID: 3 + 1, cy.ID: 2 + 7})

			// The moved scene keeps its history, and its words count in its new chapter.
			sc = a.saveScene(t, me, x2.ID, map[string]any{"version": sc.Version, "markdown": "Eight."})
			a.checkWords(t, me, s.ID, map[string]int{cx.ID: 3 + 1, cy.ID: 2 + 5})
			var versions []struct {
				Number int `json:"version_number"`
			}
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + x2.ID + "/versions", Token: me}).expect(t, http.StatusOK, "").into(t, &versions)
			if len(versions) == 0 {
				t.Fatal("the moved scene has no versions")
			}
			var latest struct {
				Content json.RawMessage `json:"content"`
			}
			a.do(t, req{Method: "GET", Path: fmt.Sprintf("/api/scenes/%s/versions/%d", x2.ID, versions[0].Number), Token: me}).
				expect(t, http.StatusOK, "").into(t, &latest)
			if !strings.Contains(string(latest.Content), "Eight.") {
				t.Fatalf("latest version of the moved scene = %s", latest.Content)
			}

			other := a.createStory(t, me, "Elsewhere")
			otherChapter := a.createChapter(t, me, other.ID, "Elsewhere", "")
			for name, tc := range map[string]struct {
				body  map[string]any
				field string
			}{
				"chapter of another story": {map[string]any{"chapter_id": otherChapter.ID}, "chapter_id"},
				"no such chapter":          {map[string]any{"chapter_id": other.ID}, "chapter_id"},
				"not a uuid":               {map[string]any{"chapter_id": "chapter-two"}, "chapter_id"},
				"missing chapter":          {map[string]any{"position": 1}, "chapter_id"},
				"position past the end":    {map[string]any{"chapter_id": cx.ID, "position": 3}, "position"},
				"position zero":            {map[string]any{"chapter_id": cx.ID, "position": 0}, "position"},
				"position past own end":    {map[string]any{"chapter_id": cy.ID, "position": 4}, "position"},
			} {
				t.Run(name, func(t *testing.T) {
					r := a.do(t, req{Method: "POST", Path: "/api/scenes/" + x1.ID + "/move", Token: me, Body: tc.body}).
						expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
					if r.Error.Field != tc.field {
						t.Errorf("field = %q, want %q (%s)", r.Error.Field, tc.field, r.Error.Message)
					}
				})
			}

			t.Run("concurrent moves and saves keep numbering and counts", func(t *testing.T) {
				scenes := []scene{x1, x2, x3, y1}
				// Chapter saves change the text but not the number of words.
				chapterText := map[string][]string{cx.ID: {"One two three.", "Three two one."}, cy.ID: {"Four five.", "Five four."}}
				var wg sync.WaitGroup
				for i := range 24 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						sc := scenes[i%len(scenes)]
						chapterID := cx.ID
						if i%2 == 1 {
							chapterID = cy.ID
						}
						var r *response
						switch i % 3 {
						case 0:
							r = a.do(t, req{Method: "POST", Path: "/api/scenes/" + sc.ID + "/move", Token: me,
								Body: map[string]any{"chapter_id": chapterID, "position": 1}})
						case 1:
							cur := a.getScene(t, me, sc.ID, "json")
							r = a.do(t, req{Method: "PUT", Path: "/api/scenes/" + sc.ID, Token: me,
								Body: map[string]any{"version": cur.Version, "markdown": strings.Repeat("word ", i+1)}})
						default:
							var c chapter
							a.do(t, req{Method: "GET", Path: "/api/chapters/" + chapterID, Token: me}).expect(t, http.StatusOK, "").into(t, &c)
							r = a.do(t, req{Method: "PUT", Path: "/api/chapters/" + chapterID, Token: me,
								Body: map[string]any{"version": c.Version, "markdown": chapterText[chapterID][i%4/2]}})
						}
						if r.Status != http.StatusOK && r.Status != http.StatusConflict { // 409: another save of it won
							t.Errorf("concurrent change answered %d: %s", r.Status, r.Raw)
						}
					}()
				}
				wg.Wait()
				xs, ys := a.sceneList(t, me, cx.ID), a.sceneList(t, me, cy.ID)
				if len(xs)+len(ys) != 4 {
					t.Fatalf("scenes after concurrent moves: X %s, Y %s", sceneTitles(xs), sceneTitles(ys))
				}
				words := func(list []scene) int {
					n := 0
					for _, sc := range list {
						n += sc.WordCount
					}
					return n
				}
				a.checkWords(t, me, s.ID, map[string]int{cx.ID: 3 + words(xs), cy.ID: 2 + words(ys)})
			})
		})
	}
}

func TestSceneVersions(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "sceneauthor").AccessToken
			editor := a.register(t, "scenecoauthor").AccessToken
			s := a.createStory(t, me, "Versioned")
			a.addCollaborator(t, me, s.ID, "scenecoauthor", "editor")
			c := a.createChapter(t, me, s.ID, "One", "Own words.")
			sc := a.createScene(t, me, c.ID, map[string]any{"title": "V", "markdown": "First paragraph."})

			type version struct {
				Number    int     `json:"version_number"`
				Kind      string  `json:"kind"`
				Title     string  `json:"title"`
				WordCount int     `json:"word_count"`
				Summary   string  `json:"change_summary"`
				CreatedBy *string `json:"created_by"`
			}
			history := func() []version {
				t.Helper()
				var list []version
				a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/versions", Token: me}).expect(t, http.StatusOK, "").into(t, &list)
				return list
			}
			save := func(token, md, summary string) {
				t.Helper()
				cur := a.getScene(t, token, sc.ID, "json")
				sc = a.saveScene(t, token, sc.ID, map[string]any{"version": cur.Version, "markdown": md, "change_summary": summary})
			}

			a.Clock.Advance(6 * time.Minute)
			save(me, "First paragraph.\n\nSecond paragraph.", "") // v2
			a.Clock.Advance(10 * time.Second)
			save(me, "First paragraph.\n\nSecond paragraph, edited.", "") // folds into v2
			a.Clock.Advance(10 * time.Second)
			save(me, "First paragraph.\n\nSecond paragraph, edited.\n\nThird.", "") // folds into v2
			if h := history(); len(h) != 2 || h[0].Number != 2 || h[0].WordCount != 6 {
				t.Fatalf("after rapid saves: %+v, want v1 and the folded v2 (6 words)", h)
			}
			a.Clock.Advance(10 * time.Second)
			save(me, "Rewritten opening.\n\nSecond paragraph, edited.\n\nThird.", "rewrote the opening") // v3: a summary
			a.Clock.Advance(10 * time.Second)
			save(editor, "Rewritten opening.\n\nSecond paragraph, edited.\n\nThird.\n\nA line by the editor.", "") // v4: another user
			a.Clock.Advance(10 * time.Second)
			save(me, "Rewritten opening.\n\nThird.\n\nA line by the editor.", "") // v5: the previous save was the editor's
			// A change that leaves the text alone records no version.
			sc = a.saveScene(t, me, sc.ID, map[string]any{"version": sc.Version, "title": "V renamed"})
			h := history()
			var got []string
			for _, v := range h {
				got = append(got, fmt.Sprintf("%d:%s", v.Number, v.Kind))
			}
			if strings.Join(got, " ") != "5:save 4:save 3:save 2:save 1:save" {
				t.Fatalf("history = %s", got)
			}
			if h[2].Summary != "rewrote the opening" || h[1].CreatedBy == nil || h[0].CreatedBy == nil || *h[1].CreatedBy == *h[0].CreatedBy {
				t.Fatalf("history details = %+v", h)
			}

			var v2 struct {
				version
				Content json.RawMessage `json:"content"`
			}
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/versions/2", Token: me}).expect(t, http.StatusOK, "").into(t, &v2)
			if v2.Number != 2 || !strings.Contains(string(v2.Content), "Second paragraph, edited.") || !strings.Contains(string(v2.Content), "Third.") {
				t.Fatalf("version 2 = %+v %s", v2.version, v2.Content)
			}
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/versions/99", Token: me}).expect(t, http.StatusNotFound, "NOT_FOUND")
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/versions/0", Token: me}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")

			var d struct {
				From, To int
				Ops      []struct{ Op, Text string }
			}
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/diff?from=2&to=5", Token: me}).expect(t, http.StatusOK, "").into(t, &d)
			if got := fmt.Sprint(d.Ops); got != "[{delete First paragraph.} {delete Second paragraph, edited.} {insert Rewritten opening.} {equal Third.} {insert A line by the editor.}]" &&
				got != "[{insert Rewritten opening.} {delete First paragraph.} {delete Second paragraph, edited.} {equal Third.} {insert A line by the editor.}]" {
				t.Fatalf("diff = %s", got)
			}
			a.do(t, req{Method: "GET", Path: "/api/scenes/" + sc.ID + "/diff?from=1", Token: me}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")

			a.do(t, req{Method: "POST", Path: "/api/scenes/" + sc.ID + "/versions/1/restore", Token: me,
				Body: map[string]int{"version": sc.Version - 1}}).expect(t, http.StatusConflict, "VERSION_CONFLICT")
			a.do(t, req{Method: "POST", Path: "/api/scenes/" + sc.ID + "/versions/1/restore", Token: me,
				Body: map[string]int{}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			var restored scene
			a.do(t, req{Method: "POST", Path: "/api/scenes/" + sc.ID + "/versions/1/restore", Token: me,
				Body: map[string]int{"version": sc.Version}}).expect(t, http.StatusOK, "").into(t, &restored)
			if restored.Version != sc.Version+1 || restored.WordCount != 2 || restored.Title != "V renamed" {
				t.Fatalf("restored = %+v", restored)
			}
			if txt := a.getScene(t, me, sc.ID, "text"); *txt.Text != "First paragraph." {
				t.Fatalf("text after restore = %q", *txt.Text)
			}
			h = history()
			if len(h) != 6 || h[0].Kind != "restore" || h[0].Number != 6 || !strings.Contains(h[0].Summary, "1") {
				t.Fatalf("history after restore = %+v", h)
			}
			a.checkWords(t, me, s.ID, map[string]int{c.ID: 2 + 2})

			// The chapter's own history is apart from its scenes'.
			var chapterHistory []version
			a.do(t, req{Method: "GET", Path: "/api/chapters/" + c.ID + "/versions", Token: me}).expect(t, http.StatusOK, "").into(t, &chapterHistory)
			if len(chapterHistory) != 1 || chapterHistory[0].WordCount != 2 {
				t.Fatalf("chapter history = %+v", chapterHistory)
			}
		})
	}
}

func TestSceneAccess(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			owner := a.register(t, "sceneowner").AccessToken
			viewer := a.register(t, "sceneviewer").AccessToken
			stranger := a.register(t, "scenestranger").AccessToken
			s := a.createStory(t, owner, "Private Scenes")
			a.addCollaborator(t, owner, s.ID, "sceneviewer", "viewer")
			c := a.createChapter(t, owner, s.ID, "One", "Words.")
			c2 := a.createChapter(t, owner, s.ID, "Two", "")
			sc := a.createScene(t, owner, c.ID, map[string]any{"title": "Secret", "markdown": "Hidden words."})
			writes := []struct {
				method, path string
				body         any
			}{
				{"POST", "/api/chapters/" + c.ID + "/scenes", map[string]any{"title": "x"}},
				{"PUT", "/api/chapters/" + c.ID + "/scenes/order", map[string]any{"scene_ids": []string{sc.ID}}},
				{"PUT", "/api/scenes/" + sc.ID, map[string]any{"version": 1, "title": "x"}},
				{"DELETE", "/api/scenes/" + sc.ID, nil},
				{"POST", "/api/scenes/" + sc.ID + "/move", map[string]any{"chapter_id": c2.ID}},
				{"POST", "/api/scenes/" + sc.ID + "/versions/1/restore", map[string]any{"version": 1}},
			}
			reads := []string{
				"/api/chapters/" + c.ID + "/scenes",
				"/api/scenes/" + sc.ID,
				"/api/scenes/" + sc.ID + "/versions",
				"/api/scenes/" + sc.ID + "/versions/1",
				"/api/scenes/" + sc.ID + "/diff?from=1&to=1",
			}
			check := func(t *testing.T, token string, status int, code string, method, path string, body any) {
				t.Helper()
				r := a.do(t, req{Method: method, Path: path, Token: token, Body: body})
				if r.Status != status || r.Error == nil || r.Error.Code != code {
					t.Errorf("%s %s: %d, want %d %s; body: %s", method, path, r.Status, status, code, r.Raw)
				}
			}

			t.Run("viewer reads but may not write", func(t *testing.T) {
				for _, p := range reads {
					a.do(t, req{Method: "GET", Path: p, Token: viewer}).expect(t, http.StatusOK, "")
				}
				for _, w := range writes {
					check(t, viewer, http.StatusForbidden, "FORBIDDEN", w.method, w.path, w.body)
				}
			})
			t.Run("stranger is told nothing exists", func(t *testing.T) {
				for _, p := range reads {
					check(t, stranger, http.StatusNotFound, "NOT_FOUND", "GET", p, nil)
				}
				for _, w := range writes {
					check(t, stranger, http.StatusNotFound, "NOT_FOUND", w.method, w.path, w.body)
				}
			})
			t.Run("anonymous", func(t *testing.T) {
				check(t, "", http.StatusNotFound, "NOT_FOUND", "GET", "/api/scenes/"+sc.ID, nil)
				check(t, "", http.StatusNotFound, "NOT_FOUND", "GET", "/api/chapters/"+c.ID+"/scenes", nil)
				check(t, "", http.StatusUnauthorized, "UNAUTHORIZED", "GET", "/api/scenes/"+sc.ID+"/versions", nil)
				for _, w := range writes {
					check(t, "", http.StatusUnauthorized, "UNAUTHORIZED", w.method, w.path, w.body)
				}
			})
			t.Run("readers of a published story see scenes of completed chapters", func(t *testing.T) {
				var st story
				a.do(t, req{Method: "GET", Path: "/api/stories/" + s.ID, Token: owner}).expect(t, http.StatusOK, "").into(t, &st)
				a.do(t, req{Method: "PUT", Path: "/api/stories/" + s.ID, Token: owner, Body: map[string]any{"version": st.Version, "visibility": "public"}}).
					expect(t, http.StatusOK, "")
				a.do(t, req{Method: "POST", Path: "/api/stories/" + s.ID + "/publish", Token: owner}).expect(t, http.StatusOK, "")
				check(t, "", http.StatusNotFound, "NOT_FOUND", "GET", "/api/scenes/"+sc.ID, nil) // chapter still a draft
				check(t, "", http.StatusNotFound, "NOT_FOUND", "GET", "/api/chapters/"+c.ID+"/scenes", nil)
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + c.ID, Token: owner, Body: map[string]any{"version": 1, "status": "completed"}}).
					expect(t, http.StatusOK, "")
				if got := a.getScene(t, "", sc.ID, "text"); *got.Text != "Hidden words." {
					t.Fatalf("anonymous reader sees %q", *got.Text)
				}
				if list := a.sceneList(t, stranger, c.ID); len(list) != 1 {
					t.Fatalf("reader's list = %+v", list)
				}
				check(t, stranger, http.StatusNotFound, "NOT_FOUND", "GET", "/api/scenes/"+sc.ID+"/versions", nil)
				for _, w := range writes {
					check(t, stranger, http.StatusForbidden, "FORBIDDEN", w.method, w.path, w.body)
				}
			})
			t.Run("every change is an event", func(t *testing.T) {
				sc2 := a.createScene(t, owner, c.ID, map[string]any{"title": "Second"})
				a.do(t, req{Method: "PUT", Path: "/api/chapters/" + c.ID + "/scenes/order", Token: owner,
					Body: map[string]any{"scene_ids": []string{sc2.ID, sc.ID}}}).expect(t, http.StatusOK, "")
				a.saveScene(t, owner, sc.ID, map[string]any{"version": 1, "markdown": "Changed."})
				a.do(t, req{Method: "POST", Path: "/api/scenes/" + sc.ID + "/move", Token: owner, Body: map[string]any{"chapter_id": c2.ID}}).
					expect(t, http.StatusOK, "")
				a.do(t, req{Method: "DELETE", Path: "/api/scenes/" + sc2.ID, Token: owner}).expect(t, http.StatusOK, "")
				rows, err := a.DB.QueryContext(t.Context(), `SELECT topic FROM outbox_events
				WHERE aggregate_id IN ($1, $2, $3) ORDER BY created_at, topic`, sc.ID, sc2.ID, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				seen := map[string]int{}
				for rows.Next() {
					var topic string
					if err := rows.Scan(&topic); err != nil {
						t.Fatal(err)
					}
					seen[topic]++
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				for _, topic := range []string{"scene.created", "scene.saved", "scene.deleted", "scene.moved", "chapter.scenes_reordered"} {
					if seen[topic] == 0 {
						t.Errorf("no %s event; events: %v", topic, seen)
					}
				}
			})
		})
	}
}
