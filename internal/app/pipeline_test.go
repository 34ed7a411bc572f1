package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

type pipelineRun struct {
	ID         string  `json:"id"`
	Status     string  `json:"status"`
	Step       string  `json:"step"`
	DoneSteps  int     `json:"done_steps"`
	TotalSteps int     `json:"total_steps"`
	Percent    float64 `json:"percent"`
	Error      string  `json:"error"`
}

// waitRun polls a run until done(run) holds or five minutes pass (a hang guard:
// a 36-step run has taken over a minute on a loaded 2-core machine).
func (a *testApp) waitRun(t testing.TB, token, id string, done func(pipelineRun) bool) pipelineRun {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var run pipelineRun
		a.do(t, req{Method: "GET", Path: "/api/pipelines/" + id, Token: token}).expect(t, http.StatusOK, "").into(t, &run)
		if done(run) {
			return run
		}
		if run.Status == "failed" || time.Now().After(deadline) {
			t.Fatalf("run %s: %+v", id, run)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPipelineDraftsABook(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			owner := a.register(t, "pipe_owner")
			viewer := a.register(t, "pipe_viewer")
			st := a.createStory(t, owner.AccessToken, "The Lantern Keepers")
			a.addCollaborator(t, owner.AccessToken, st.ID, "pipe_viewer", "viewer")
			var ch struct {
				ID string `json:"id"`
			}
			a.do(t, req{Method: "POST", Path: "/api/characters", Token: owner.AccessToken, Body: map[string]any{
				"story_id": st.ID, "name": "Ada Marsh", "role": "protagonist"}}).expect(t, http.StatusCreated, "").into(t, &ch)

			body := map[string]any{"chapters": 2, "scenes_per_chapter": 2, "words_per_scene": 200}
			a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: viewer.AccessToken, Body: body}).
				expect(t, http.StatusForbidden, "FORBIDDEN")
			a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken,
				Body: map[string]any{"chapters": 100}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			var run pipelineRun
			a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken, Body: body}).
				expect(t, http.StatusAccepted, "").into(t, &run)
			if run.TotalSteps != 3+2*(1+2*3+1) {
				t.Fatalf("total steps = %d", run.TotalSteps)
			}
			a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken, Body: body}).
				expect(t, http.StatusConflict, "CONFLICT")

			run = a.waitRun(t, viewer.AccessToken, run.ID, func(r pipelineRun) bool { return r.Status == "completed" })
			if run.DoneSteps != run.TotalSteps || run.Percent != 100 {
				t.Errorf("finished run = %+v", run)
			}
			var chapters []chapter
			a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/chapters", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &chapters)
			if len(chapters) != 2 {
				t.Fatalf("%d chapters, want 2", len(chapters))
			}
			for _, c := range chapters {
				scenes := a.sceneList(t, owner.AccessToken, c.ID)
				if len(scenes) != 2 {
					t.Fatalf("chapter %d has %d scenes, want 2", c.Number, len(scenes))
				}
				for _, sc := range scenes {
					if sc.WordCount < 50 {
						t.Errorf("chapter %d scene %d has %d words", c.Number, sc.Number, sc.WordCount)
					}
				}
			}
			var prov struct {
				AIPercent float64 `json:"ai_percent"`
			}
			a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/provenance", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &prov)
			if prov.AIPercent < 90 {
				t.Errorf("a drafted book is %.1f%% AI-written, want nearly all", prov.AIPercent)
			}
			var steps []struct {
				Key string `json:"key"`
			}
			a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID + "/steps", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &steps)
			if len(steps) != run.TotalSteps || steps[0].Key != "premise" || !strings.HasPrefix(steps[len(steps)-1].Key, "check:") {
				t.Errorf("steps = %+v", steps)
			}
			var page struct {
				Items []generationRecord `json:"items"`
			}
			a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/generations?pipeline_id=" + run.ID + "&limit=100", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &page)
			if len(page.Items) == 0 {
				t.Error("the run's generations are not in the history")
			}
			a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/pause", Token: owner.AccessToken}).
				expect(t, http.StatusConflict, "CONFLICT")
		})
	}
}

func TestPipelinePauseResumeCancel(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "pipe_ctl")
	stranger := a.register(t, "pipe_stranger")
	st := a.createStory(t, owner.AccessToken, "Quiet Water")
	var run pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 3, "scenes_per_chapter": 2, "words_per_scene": 200}}).
		expect(t, http.StatusAccepted, "").into(t, &run)
	a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID, Token: stranger.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
	a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/pause", Token: stranger.AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")

	a.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.DoneSteps >= 4 })
	a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/pause", Token: owner.AccessToken}).expect(t, http.StatusOK, "")
	time.Sleep(300 * time.Millisecond) // the step in flight finishes
	var paused pipelineRun
	a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID, Token: owner.AccessToken}).expect(t, http.StatusOK, "").into(t, &paused)
	time.Sleep(500 * time.Millisecond)
	var still pipelineRun
	a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID, Token: owner.AccessToken}).expect(t, http.StatusOK, "").into(t, &still)
	if still.Status != "paused" || still.DoneSteps != paused.DoneSteps {
		t.Fatalf("a paused run moved on: %+v then %+v", paused, still)
	}
	a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/resume", Token: owner.AccessToken}).expect(t, http.StatusOK, "")
	a.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.DoneSteps > still.DoneSteps+1 })
	var cancelled pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/cancel", Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &cancelled)
	if cancelled.Status != "cancelled" {
		t.Fatalf("cancel answered %+v", cancelled)
	}
	a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/resume", Token: owner.AccessToken}).expect(t, http.StatusConflict, "CONFLICT")
}

// A run survives a restart: the second process finishes it without redoing the
// scenes the first drafted.
func TestPipelineResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	a := boot(t, embedded, withEnv("AUTHORWORKS_DATA_DIR", dir))
	owner := a.register(t, "pipe_restart")
	st := a.createStory(t, owner.AccessToken, "Second Light")
	var run pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 3, "scenes_per_chapter": 2, "words_per_scene": 200}}).
		expect(t, http.StatusAccepted, "").into(t, &run)
	a.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.DoneSteps >= 8 })
	a.stop()

	b := boot(t, embedded, withEnv("AUTHORWORKS_DATA_DIR", dir))
	done := b.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.Status == "completed" })
	if done.DoneSteps != done.TotalSteps {
		t.Fatalf("run after restart = %+v", done)
	}
	var page struct {
		Items []generationRecord `json:"items"`
	}
	b.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/generations?pipeline_id=" + run.ID + "&limit=100", Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &page)
	drafts := map[string]int{}
	for _, g := range page.Items {
		if g.Mode == "scene" && g.Status == "completed" && g.SceneID != nil {
			drafts[*g.SceneID]++
		}
	}
	if len(drafts) != 6 {
		t.Fatalf("%d scenes drafted, want 6", len(drafts))
	}
	for id, n := range drafts {
		if n != 1 {
			t.Errorf("scene %s was drafted %d times", id, n)
		}
	}
}

// A screenplay follows the script order (logline, characters, beats, locations,
// scenes) and its scenes are written in script format.
func TestPipelineDraftsAScreenplay(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "pipe_script")
	var st story
	a.do(t, req{Method: "POST", Path: "/api/stories", Token: owner.AccessToken,
		Body: map[string]any{"title": "Night Ferry", "content_type": "screenplay"}}).expect(t, http.StatusCreated, "").into(t, &st)
	var run pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 1, "scenes_per_chapter": 2, "words_per_scene": 200}}).
		expect(t, http.StatusAccepted, "").into(t, &run)
	run = a.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.Status == "completed" })
	var steps []struct {
		Key string `json:"key"`
	}
	a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID + "/steps", Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &steps)
	var keys []string
	for _, s := range steps {
		keys = append(keys, s.Key)
	}
	if got := strings.Join(keys[:5], ","); got != "premise,cast,outline,locations,cards:1" {
		t.Errorf("script steps begin %s", got)
	}
	var chapters []chapter
	a.do(t, req{Method: "GET", Path: "/api/stories/" + st.ID + "/chapters", Token: owner.AccessToken}).
		expect(t, http.StatusOK, "").into(t, &chapters)
	scenes := a.sceneList(t, owner.AccessToken, chapters[0].ID)
	if len(scenes) != 2 {
		t.Fatalf("%d scenes", len(scenes))
	}
	sc := a.getScene(t, owner.AccessToken, scenes[0].ID, "")
	for _, block := range []string{`"type":"scene_heading"`, `"type":"character"`, `"type":"dialogue"`} {
		if !strings.Contains(string(sc.Content), block) {
			t.Errorf("drafted scene has no %s block: %s", block, sc.Content)
		}
	}
}

// The progress stream and the step list are for collaborators; controls for
// editors.
func TestPipelineEventsAndSteps(t *testing.T) {
	a := boot(t, embedded)
	owner := a.register(t, "pipe_events")
	viewer := a.register(t, "pipe_events_viewer")
	stranger := a.register(t, "pipe_events_stranger")
	st := a.createStory(t, owner.AccessToken, "Tide Tables")
	a.addCollaborator(t, owner.AccessToken, st.ID, "pipe_events_viewer", "viewer")
	var run pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/stories/" + st.ID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 1, "scenes_per_chapter": 1, "words_per_scene": 200}}).
		expect(t, http.StatusAccepted, "").into(t, &run)

	hr, err := http.NewRequest("GET", a.URL+"/api/pipelines/"+run.ID+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+viewer.AccessToken)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	body := string(raw)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "event: progress\n") ||
		!strings.Contains(body, "event: end\n") || !strings.Contains(body, `"status":"completed"`) {
		t.Fatalf("events stream %d:\n%s", resp.StatusCode, body)
	}

	for _, who := range []session{stranger} {
		for _, path := range []string{"/events", "/steps"} {
			a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID + path, Token: who.AccessToken}).
				expect(t, http.StatusNotFound, "NOT_FOUND")
		}
	}
	a.do(t, req{Method: "GET", Path: "/api/pipelines/" + run.ID + "/steps", Token: viewer.AccessToken}).expect(t, http.StatusOK, "")
	for _, action := range []string{"pause", "resume", "cancel"} {
		a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/" + action, Token: viewer.AccessToken}).
			expect(t, http.StatusForbidden, "FORBIDDEN")
		a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/" + action, Token: stranger.AccessToken}).
			expect(t, http.StatusNotFound, "NOT_FOUND")
		a.do(t, req{Method: "POST", Path: "/api/pipelines/" + run.ID + "/" + action}).
			expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	}
}
