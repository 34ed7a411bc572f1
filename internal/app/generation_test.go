package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	Name string
	Data json.RawMessage
}

// stream posts body to path and reads the server-sent events of the answer.
func (a *testApp) stream(t testing.TB, token, path string, body any) (int, []sseEvent) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	hr, err := http.NewRequest("POST", a.URL+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "text/event-stream")
	hr.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		var raw bytes.Buffer
		_, _ = raw.ReadFrom(resp.Body)
		return resp.StatusCode, []sseEvent{{Name: "http", Data: raw.Bytes()}}
	}
	var events []sseEvent
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.Name != "" {
				events = append(events, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			cur.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.Data = json.RawMessage(strings.TrimPrefix(line, "data: "))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, events
}

type generationRecord struct {
	ID               string          `json:"id"`
	StoryID          *string         `json:"story_id"`
	SceneID          *string         `json:"scene_id"`
	Mode             string          `json:"mode"`
	Status           string          `json:"status"`
	Provider         string          `json:"provider"`
	Offline          bool            `json:"offline"`
	Model            string          `json:"model"`
	Text             string          `json:"text"`
	Prompt           string          `json:"prompt"`
	Manifest         json.RawMessage `json:"manifest"`
	InputTokens      int             `json:"input_tokens"`
	OutputTokens     int             `json:"output_tokens"`
	CacheReadTokens  int             `json:"cache_read_tokens"`
	CacheWriteTokens int             `json:"cache_write_tokens"`
	TokensUsed       int             `json:"tokens_used"`
	CostMicros       int64           `json:"cost_micros"`
	RequestID        string          `json:"request_id"`
	Error            string          `json:"error"`
}

// bookWithScene makes a story with a character, a chapter and a scene whose card
// names the character, and returns the ids.
func (a *testApp) bookWithScene(t testing.TB, token string) (storyID, chapterID string, sc scene, characterID string) {
	t.Helper()
	st := a.createStory(t, token, "The Salt Road")
	var ch struct {
		ID string `json:"id"`
	}
	a.do(t, req{Method: "POST", Path: "/api/characters", Token: token, Body: map[string]any{
		"story_id": st.ID, "name": "Mara Quell", "role": "protagonist", "aliases": []string{"the Captain"},
		"description": "A smuggler captain with a burned hand.",
	}}).expect(t, http.StatusCreated, "").into(t, &ch)
	c := a.createChapter(t, token, st.ID, "Harbour", "The fog came in at dusk.")
	sc = a.createScene(t, token, c.ID, map[string]any{"title": "The deal", "pov_character_id": ch.ID,
		"card": map[string]any{"goal": "Mara sells the map", "beats": []string{"Mara meets the buyer", "The buyer lies"}, "target_words": 300}})
	return st.ID, c.ID, sc, ch.ID
}

func TestGenerateStreamsAndRecords(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			owner := a.register(t, "gen_owner")
			storyID, _, sc, _ := a.bookWithScene(t, owner.AccessToken)

			status, events := a.stream(t, owner.AccessToken, "/api/stories/"+storyID+"/generate",
				map[string]any{"mode": "scene", "scene_id": sc.ID})
			if status != http.StatusOK || len(events) < 3 {
				t.Fatalf("status %d, events %v", status, events)
			}
			if events[0].Name != "start" || events[len(events)-1].Name != "done" {
				t.Fatalf("events run %s … %s, want start … done", events[0].Name, events[len(events)-1].Name)
			}
			var start struct {
				GenerationID string `json:"generation_id"`
				Provider     string `json:"provider"`
				Offline      bool   `json:"offline"`
			}
			if err := json.Unmarshal(events[0].Data, &start); err != nil {
				t.Fatal(err)
			}
			if start.Provider != "offline" || !start.Offline {
				t.Errorf("start = %+v, want the offline provider, labelled as such", start)
			}
			var text strings.Builder
			for _, ev := range events[1 : len(events)-1] {
				if ev.Name != "delta" {
					t.Fatalf("event %s in the middle of the stream", ev.Name)
				}
				var d struct {
					Text string `json:"text"`
				}
				if err := json.Unmarshal(ev.Data, &d); err != nil {
					t.Fatal(err)
				}
				text.WriteString(d.Text)
			}
			var done generationRecord
			if err := json.Unmarshal(events[len(events)-1].Data, &done); err != nil {
				t.Fatal(err)
			}
			if done.ID != start.GenerationID || done.Status != "completed" || done.Text != text.String() {
				t.Fatalf("done = %+v; streamed %q", done, text.String())
			}
			if !strings.Contains(done.Text, "Mara") {
				t.Errorf("the offline text does not use the scene's character: %q", done.Text)
			}

			// History keeps the prompt and its manifest.
			var g generationRecord
			a.do(t, req{Method: "GET", Path: "/api/generations/" + done.ID, Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &g)
			if !strings.Contains(g.Prompt, "Mara Quell") || !strings.Contains(g.Prompt, "The buyer lies") {
				t.Errorf("stored prompt lacks the character or the beats:\n%s", g.Prompt)
			}
			var m struct {
				Parts []struct {
					Section string `json:"section"`
					Name    string `json:"name"`
					Reason  string `json:"reason"`
				} `json:"parts"`
			}
			if err := json.Unmarshal(g.Manifest, &m); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range m.Parts {
				found = found || p.Name == "Mara Quell"
			}
			if !found {
				t.Errorf("manifest does not list Mara Quell: %s", g.Manifest)
			}
			var page struct {
				Items []generationRecord `json:"items"`
			}
			a.do(t, req{Method: "GET", Path: "/api/stories/" + storyID + "/generations?scene_id=" + sc.ID, Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &page)
			if len(page.Items) != 1 || page.Items[0].ID != done.ID {
				t.Fatalf("scene history = %+v", page.Items)
			}
			a.do(t, req{Method: "GET", Path: "/api/generations", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &page)
			if len(page.Items) != 1 {
				t.Fatalf("user history has %d items, want 1", len(page.Items))
			}

			// Accept it into the scene: the words carry its provenance.
			var accepted struct {
				Version   int `json:"version"`
				WordCount int `json:"word_count"`
			}
			a.do(t, req{Method: "POST", Path: "/api/generations/" + done.ID + "/accept", Token: owner.AccessToken,
				Body: map[string]any{"scene_id": sc.ID, "version": sc.Version}}).expect(t, http.StatusOK, "").into(t, &accepted)
			if accepted.Version != sc.Version+1 || accepted.WordCount == 0 {
				t.Fatalf("accepted = %+v", accepted)
			}
			a.do(t, req{Method: "POST", Path: "/api/generations/" + done.ID + "/accept", Token: owner.AccessToken,
				Body: map[string]any{"scene_id": sc.ID, "version": sc.Version}}).expect(t, http.StatusConflict, "VERSION_CONFLICT")
			var prov struct {
				Words     int     `json:"words"`
				AIWords   int     `json:"ai_words"`
				AIPercent float64 `json:"ai_percent"`
				Chapters  []struct {
					Generations []string `json:"generations"`
				} `json:"chapters"`
			}
			a.do(t, req{Method: "GET", Path: "/api/stories/" + storyID + "/provenance", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &prov)
			if prov.AIWords != accepted.WordCount || prov.Words != accepted.WordCount+6 || len(prov.Chapters) != 1 ||
				len(prov.Chapters[0].Generations) != 1 || prov.Chapters[0].Generations[0] != done.ID {
				t.Errorf("provenance = %+v, want %d AI words of %d from %s", prov, accepted.WordCount, accepted.WordCount+6, done.ID)
			}
		})
	}
}

func TestGenerateJSONPreviewAndAccess(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "gen_owner2")
	viewer := a.register(t, "gen_viewer")
	stranger := a.register(t, "gen_stranger")
	storyID, chapterID, sc, charID := a.bookWithScene(t, owner.AccessToken)
	a.addCollaborator(t, owner.AccessToken, storyID, "gen_viewer", "viewer")
	path := "/api/stories/" + storyID + "/generate"

	var g generationRecord
	a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken,
		Body: map[string]any{"mode": "continue", "chapter_id": chapterID, "stream": false}}).
		expect(t, http.StatusCreated, "").into(t, &g)
	if g.Status != "completed" || g.Text == "" || !g.Offline {
		t.Fatalf("JSON generation = %+v", g)
	}

	var pv struct {
		Provider string `json:"provider"`
		Offline  bool   `json:"offline"`
		Manifest struct {
			Tokens int `json:"tokens"`
			Budget int `json:"budget"`
			Parts  []struct {
				Section string `json:"section"`
				ID      string `json:"id"`
			} `json:"parts"`
		} `json:"manifest"`
		System []struct {
			Text  string `json:"Text"`
			Cache bool   `json:"Cache"`
		} `json:"system"`
	}
	a.do(t, req{Method: "GET", Path: path + "/preview?mode=scene&scene_id=" + sc.ID + "&budget=4000", Token: viewer.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &pv)
	if pv.Manifest.Budget != 4000 || pv.Manifest.Tokens == 0 || pv.Manifest.Tokens > 4000 || !pv.Offline {
		t.Errorf("preview = %+v", pv)
	}
	hasChar := false
	for _, p := range pv.Manifest.Parts {
		hasChar = hasChar || p.ID == charID
	}
	if !hasChar {
		t.Errorf("preview manifest lacks the POV character: %+v", pv.Manifest.Parts)
	}
	if len(pv.System) == 0 || !pv.System[0].Cache {
		t.Errorf("the book block is not a cache breakpoint: %+v", pv.System)
	}

	m := a.do(t, req{Method: "GET", Path: "/metrics"})
	if !strings.Contains(string(m.Raw), `authorworks_generations_total{mode="continue",provider="offline",status="completed"} 1`) {
		t.Errorf("/metrics does not count the generation")
	}

	// A viewer may look but not generate; a stranger may not know the story.
	a.do(t, req{Method: "POST", Path: path, Token: viewer.AccessToken, Body: map[string]any{"mode": "continue"}}).
		expect(t, http.StatusForbidden, "FORBIDDEN")
	a.do(t, req{Method: "POST", Path: path, Token: stranger.AccessToken, Body: map[string]any{"mode": "continue"}}).
		expect(t, http.StatusNotFound, "NOT_FOUND")
	a.do(t, req{Method: "GET", Path: "/api/generations/" + g.ID, Token: stranger.AccessToken}).
		expect(t, http.StatusNotFound, "NOT_FOUND")
	a.do(t, req{Method: "GET", Path: "/api/generations/" + g.ID, Token: viewer.AccessToken}).
		expect(t, http.StatusOK, "")
	a.do(t, req{Method: "POST", Path: "/api/generations/" + g.ID + "/accept", Token: viewer.AccessToken,
		Body: map[string]any{"chapter_id": chapterID, "version": 1}}).expect(t, http.StatusForbidden, "FORBIDDEN")
	a.do(t, req{Method: "POST", Path: path, Body: map[string]any{"mode": "continue"}}).
		expect(t, http.StatusUnauthorized, "UNAUTHORIZED")

	// Bad requests say what is wrong.
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"mode": "poem"}, "mode"},
		{map[string]any{}, "mode"},
		{map[string]any{"mode": "scene"}, "scene_id"},
		{map[string]any{"mode": "rewrite", "instruction": "darker"}, "selection"},
		{map[string]any{"mode": "continue", "budget": 10}, "budget"},
		{map[string]any{"mode": "continue", "chapter_id": "not-a-uuid"}, "chapter_id"},
		{map[string]any{"mode": "continue", "chapter_id": "00000000-0000-4000-8000-000000000000"}, "chapter_id"},
		{map[string]any{"mode": "continue", "pinned": []string{"x"}}, "pinned[0]"},
	} {
		r := a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: tc.body}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		if r.Error.Field != tc.field {
			t.Errorf("%v: field %q, want %q (%s)", tc.body, r.Error.Field, tc.field, r.Error.Message)
		}
	}
}
