package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/ai/aitest"
)

// BenchmarkTimeToFirstToken compares the time to the first token of a scene
// generation through the engine (HTTP, auth, manuscript and bible loads, context
// assembly, quota hold, history, SSE) with a direct call of the same prompt to the
// same fake upstream. The difference is the latency the engine adds. Run it with
//
//	go test -run XXX -bench TimeToFirstToken -benchtime 200x ./internal/app
func BenchmarkTimeToFirstToken(b *testing.B) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: 1024})
	defer fake.Close()
	a := boot(b, embedded, withAnthropic(fake), withEnv("AI_MONTHLY_TOKENS", "free=0"), withEnv("LOG_LEVEL", "error"))
	owner := a.register(b, "ttft_owner")
	storyID, _, sc, _ := a.bookWithScene(b, owner.AccessToken)
	body := map[string]any{"mode": "scene", "scene_id": sc.ID}

	var pv struct {
		System    []ai.Block   `json:"system"`
		Messages  []ai.Message `json:"messages"`
		MaxTokens int          `json:"max_tokens"`
	}
	a.do(b, req{Method: "POST", Path: "/api/stories/" + storyID + "/generate/preview", Token: owner.AccessToken, Body: body}).
		expect(b, http.StatusOK, "").into(b, &pv)
	direct := ai.NewAnthropic(ai.AnthropicConfig{APIKey: "k", BaseURL: fake.URL, Model: "claude-sonnet-5-5"})
	errFirst := errors.New("first token")

	b.Run("direct", func(b *testing.B) {
		var samples []time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			_, err := direct.Stream(context.Background(), ai.Request{System: pv.System, Messages: pv.Messages, MaxTokens: pv.MaxTokens},
				func(string) error { return errFirst })
			samples = append(samples, time.Since(start))
			if !errors.Is(err, errFirst) {
				b.Fatal(err)
			}
		}
		reportPercentiles(b, samples)
	})
	b.Run("engine", func(b *testing.B) {
		raw, _ := json.Marshal(body)
		var samples []time.Duration
		for i := 0; i < b.N; i++ {
			hr, _ := http.NewRequest("POST", a.URL+"/api/stories/"+storyID+"/generate", bytes.NewReader(raw))
			hr.Header.Set("Authorization", "Bearer "+owner.AccessToken)
			hr.Header.Set("Content-Type", "application/json")
			hr.Header.Set("Accept", "text/event-stream")
			start := time.Now()
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				b.Fatal(err)
			}
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: delta") {
					break
				}
			}
			samples = append(samples, time.Since(start))
			resp.Body.Close()
		}
		reportPercentiles(b, samples)
	})
}

func reportPercentiles(b *testing.B, samples []time.Duration) {
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	at := func(p float64) float64 { return float64(samples[int(p*float64(len(samples)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50_ms")
	b.ReportMetric(at(0.95), "p95_ms")
}
