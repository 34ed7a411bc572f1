package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/ai/aitest"
	"github.com/authorworks/authorworks/internal/app"
)

// withAnthropic points the app at a fake Anthropic server.
func withAnthropic(fake *aitest.Anthropic) bootOption {
	return func(env map[string]string, _ *app.Options) {
		env["ANTHROPIC_API_KEY"] = "test-key"
		env["ANTHROPIC_BASE_URL"] = fake.URL
		env["ANTHROPIC_MODEL"] = "claude-sonnet-5-5"
	}
}

func TestGenerationChargesUsageAndQuota(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			var fail atomic.Bool
			fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: 100, ChunkSplit: true,
				Script: func(int, aitest.ParsedRequest) aitest.Fault {
					if fail.Load() {
						return aitest.Fault{Kind: aitest.FaultErrorEvent, AfterDeltas: 3}
					}
					return aitest.Fault{}
				}})
			defer fake.Close()
			a := boot(t, b, withAnthropic(fake), withEnv("AI_MONTHLY_TOKENS", "free=5000"))
			owner := a.register(t, "quota_owner")
			storyID, _, sc, _ := a.bookWithScene(t, owner.AccessToken)
			path := "/api/stories/" + storyID + "/generate"
			body := map[string]any{"mode": "scene", "scene_id": sc.ID, "stream": false, "budget": 2000, "words": 200}

			var first, second generationRecord
			a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: body}).expect(t, http.StatusCreated, "").into(t, &first)
			a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: body}).expect(t, http.StatusCreated, "").into(t, &second)
			if first.Provider != "anthropic" || first.Offline || first.RequestID == "" || first.CostMicros <= 0 {
				t.Fatalf("first generation = %+v", first)
			}
			if first.CacheWriteTokens == 0 || second.CacheReadTokens == 0 {
				t.Errorf("prompt caching: first wrote %d, second read %d; want both > 0", first.CacheWriteTokens, second.CacheReadTokens)
			}
			if second.CostMicros >= first.CostMicros {
				t.Errorf("a cached call cost %d µ$, the uncached one %d µ$", second.CostMicros, first.CostMicros)
			}
			var usage struct {
				Tier       string `json:"tier"`
				Tokens     int    `json:"tokens"`
				Reserved   int    `json:"reserved"`
				Limit      int    `json:"limit"`
				Remaining  *int   `json:"remaining"`
				CostMicros int64  `json:"cost_micros"`
			}
			a.do(t, req{Method: "GET", Path: "/api/ai/usage", Token: owner.AccessToken}).expect(t, http.StatusOK, "").into(t, &usage)
			if usage.Tokens != first.TokensUsed+second.TokensUsed || usage.Reserved != 0 || usage.Limit != 5000 ||
				usage.CostMicros != first.CostMicros+second.CostMicros || usage.Remaining == nil {
				t.Fatalf("usage = %+v after %d + %d tokens", usage, first.TokensUsed, second.TokensUsed)
			}

			// An error after the stream began: the partial text is kept as a draft, not a finished generation.
			fail.Store(true)
			r := a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: body}).
				expect(t, http.StatusServiceUnavailable, "GENERATION_INCOMPLETE")
			var partial generationRecord
			r.into(t, &partial)
			if partial.Status != "partial" || partial.Text == "" {
				t.Fatalf("partial generation = %+v", partial)
			}
			a.do(t, req{Method: "POST", Path: "/api/generations/" + partial.ID + "/accept", Token: owner.AccessToken,
				Body: map[string]any{"scene_id": sc.ID, "version": sc.Version}}).expect(t, http.StatusConflict, "CONFLICT")
			fail.Store(false)

			// Spend the allowance; then the next call is refused before it reaches the model.
			for i := 0; i < 30; i++ {
				r := a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: body})
				if r.Status == http.StatusPaymentRequired {
					if r.Error.Code != "QUOTA_EXCEEDED" || !strings.Contains(r.Error.Message, "free plan") {
						t.Fatalf("refusal = %+v", r.Error)
					}
					before := fake.Stats().Requests
					a.do(t, req{Method: "POST", Path: path, Token: owner.AccessToken, Body: body}).expect(t, http.StatusPaymentRequired, "QUOTA_EXCEEDED")
					if fake.Stats().Requests != before {
						t.Error("a refused generation still called the model")
					}
					a.do(t, req{Method: "GET", Path: "/api/ai/usage", Token: owner.AccessToken}).expect(t, http.StatusOK, "").into(t, &usage)
					if usage.Tokens > 5000 || usage.Reserved != 0 {
						t.Errorf("usage after refusal = %+v", usage)
					}
					return
				}
				r.expect(t, http.StatusCreated, "")
			}
			t.Fatal("the monthly allowance was never enforced")
		})
	}
}

// The prompt cache over a whole pipeline run: the stable book and chapter blocks
// should be read from the cache on most calls.
func TestPipelineCacheHitRatio(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: 256})
	defer fake.Close()
	a := boot(t, embedded, withAnthropic(fake), withEnv("AI_MONTHLY_TOKENS", "free=0"))
	owner := a.register(t, "cache_owner")
	storyID, _, _, _ := a.bookWithScene(t, owner.AccessToken)
	a.do(t, req{Method: "PUT", Path: "/api/stories/" + storyID, Token: owner.AccessToken, Body: map[string]any{
		"version": 1, "description": "A smuggler captain sells a map she cannot read, and must steal it back before the harbour burns.",
		"style_guide": strings.Repeat("Close third person, past tense. Short sentences in action, long in reflection. No adverbs on dialogue tags. ", 30),
	}}).expect(t, http.StatusOK, "")
	var run pipelineRun
	a.do(t, req{Method: "POST", Path: "/api/stories/" + storyID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 3, "scenes_per_chapter": 3, "words_per_scene": 300}}).
		expect(t, http.StatusAccepted, "").into(t, &run)
	a.waitRun(t, owner.AccessToken, run.ID, func(r pipelineRun) bool { return r.Status == "completed" })
	s := fake.Stats()
	prompt := s.InputTokens + s.CacheReadTokens + s.CacheWriteTokens
	ratio := float64(s.CacheReadTokens) / float64(prompt)
	t.Logf("pipeline of %d calls: prompt tokens %d (uncached %d, cache write %d, cache read %d), hit ratio %.2f",
		s.Requests, prompt, s.InputTokens, s.CacheWriteTokens, s.CacheReadTokens, ratio)
	if ratio < 0.5 {
		t.Errorf("cache hit ratio %.2f, want at least 0.5", ratio)
	}
}

// A generation left running by a process that stopped is ended by housekeeping,
// and the allowance it held is released.
func TestInterruptedGenerationReleasesItsHold(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			owner := a.register(t, "hold_owner")
			ctx := t.Context()
			now := a.Clock.Now()
			period := now.UTC().Format("2006-01")
			if _, err := a.DB.ExecContext(ctx, `INSERT INTO ai_usage (user_id, period, tokens, reserved) VALUES ($1, $2, 100, 700)`,
				owner.User.ID, period); err != nil {
				t.Fatal(err)
			}
			if _, err := a.DB.ExecContext(ctx, `INSERT INTO generation_history (id, user_id, prompt, model_used, status,
				reserved_tokens, created_at) VALUES ('7b0d5a7e-4c61-4a53-9d55-0c6a4a3f0b11', $1, 'p', 'm', 'running', 700, $2)`,
				owner.User.ID, now); err != nil {
				t.Fatal(err)
			}
			if n, err := a.Generation.RecoverInterrupted(ctx, 2*time.Hour); err != nil || n != 0 {
				t.Fatalf("a fresh running generation was recovered: %d, %v", n, err)
			}
			a.Clock.Advance(3 * time.Hour)
			if n, err := a.Generation.RecoverInterrupted(ctx, 2*time.Hour); err != nil || n != 1 {
				t.Fatalf("RecoverInterrupted = %d, %v; want 1", n, err)
			}
			a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": owner.RefreshToken}}).
				expect(t, http.StatusOK, "").into(t, &owner)
			var usage struct {
				Tokens   int `json:"tokens"`
				Reserved int `json:"reserved"`
			}
			a.do(t, req{Method: "GET", Path: "/api/ai/usage", Token: owner.AccessToken}).expect(t, http.StatusOK, "").into(t, &usage)
			if usage.Reserved != 0 || usage.Tokens != 100 {
				t.Errorf("usage after recovery = %+v, want 100 tokens and nothing held", usage)
			}
			var g generationRecord
			a.do(t, req{Method: "GET", Path: "/api/generations/7b0d5a7e-4c61-4a53-9d55-0c6a4a3f0b11", Token: owner.AccessToken}).
				expect(t, http.StatusOK, "").into(t, &g)
			if g.Status != "failed" || !strings.Contains(g.Error, "interrupted") {
				t.Errorf("recovered generation = %+v", g)
			}
		})
	}
}

// An OpenAI-compatible server (Ollama, vLLM, llama.cpp) answers generations the
// same way, streamed and recorded.
func TestGenerationWithOpenAICompatibleServer(t *testing.T) {
	fake := aitest.NewOpenAI(aitest.OpenAIOptions{ChunkSplit: true})
	defer fake.Close()
	a := boot(t, embedded, withEnv("OPENAI_BASE_URL", fake.BaseURL), withEnv("OPENAI_MODEL", "llama3.3"),
		withEnv("AI_PRICES", "llama3.3=0/0"))
	owner := a.register(t, "openai_owner")
	storyID, _, sc, _ := a.bookWithScene(t, owner.AccessToken)
	status, events := a.stream(t, owner.AccessToken, "/api/stories/"+storyID+"/generate", map[string]any{"mode": "scene", "scene_id": sc.ID})
	if status != http.StatusOK || events[len(events)-1].Name != "done" {
		t.Fatalf("status %d, events %v", status, events)
	}
	var done generationRecord
	if err := json.Unmarshal(events[len(events)-1].Data, &done); err != nil {
		t.Fatal(err)
	}
	if done.Provider != "openai" || done.Model != "llama3.3" || done.Status != "completed" || done.Text == "" || done.OutputTokens == 0 {
		t.Errorf("generation = %+v", done)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || !strings.Contains(reqs[0].System[0].Text, "Mara Quell") {
		t.Errorf("the server did not get the assembled prompt: %+v", reqs)
	}
}
