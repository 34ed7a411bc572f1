package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/ai/aitest"
)

// BenchmarkPipelineNovelCost drafts a novel of about 100,000 words (30 chapters of
// 3 scenes of 1,100 words) through the long-form pipeline against the fake
// Anthropic server, and reports the prompt-cache hit ratio and the cost of the
// run at Sonnet 5.5 list prices with and without caching. Run it with
//
//	go test -run XXX -bench PipelineNovelCost -benchtime 1x ./internal/app
func BenchmarkPipelineNovelCost(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchNovel(b)
	}
}

func benchNovel(b *testing.B) {
	sentence := strings.Fields("The lamps along the quay guttered as the tide came in and the captain counted the crates twice")
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: 1024, Reply: func(r aitest.ParsedRequest) string {
		// As many words as the request leaves room for: a full-length scene.
		words := max((r.MaxTokens-256)/2, 20)
		var sb strings.Builder
		for w := 0; w < words; w++ {
			if w > 0 {
				sb.WriteByte(' ')
				if w%120 == 0 {
					sb.WriteString("\n\n")
				}
			}
			sb.WriteString(sentence[w%len(sentence)])
		}
		sb.WriteByte('.')
		return sb.String()
	}})
	defer fake.Close()
	a := boot(b, embedded, withAnthropic(fake), withEnv("AI_MONTHLY_TOKENS", "free=0"))
	owner := a.register(b, "bench_owner")
	storyID, _, _, _ := a.bookWithScene(b, owner.AccessToken)
	var run pipelineRun
	a.do(b, req{Method: "POST", Path: "/api/stories/" + storyID + "/pipelines", Token: owner.AccessToken,
		Body: map[string]any{"chapters": 30, "scenes_per_chapter": 3, "words_per_scene": 1100}}).
		expect(b, http.StatusAccepted, "").into(b, &run)
	start := time.Now()
	for {
		a.do(b, req{Method: "GET", Path: "/api/pipelines/" + run.ID, Token: owner.AccessToken}).into(b, &run)
		if run.Status != "queued" && run.Status != "running" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if run.Status != "completed" {
		b.Fatalf("run ended %s: %s", run.Status, run.Error)
	}
	var st story
	a.do(b, req{Method: "GET", Path: "/api/stories/" + storyID, Token: owner.AccessToken}).into(b, &st)
	s := fake.Stats()
	prompt := s.InputTokens + s.CacheReadTokens + s.CacheWriteTokens
	const in, out, write, read = 2.0, 10.0, 2.5, 0.2 // Sonnet 5.5, $ per million tokens
	cached := (float64(s.InputTokens)*in + float64(s.CacheWriteTokens)*write + float64(s.CacheReadTokens)*read + float64(s.OutputTokens)*out) / 1e6
	uncached := (float64(prompt)*in + float64(s.OutputTokens)*out) / 1e6
	b.ReportMetric(float64(st.WordCount), "words")
	b.ReportMetric(float64(s.Requests), "calls")
	b.ReportMetric(float64(s.CacheReadTokens)/float64(prompt), "hit_ratio")
	b.ReportMetric(cached, "usd_cached")
	b.ReportMetric(uncached, "usd_uncached")
	b.ReportMetric(time.Since(start).Seconds(), "s_run")
	fmt.Printf("novel: %d words, %d calls, prompt %d tokens (uncached %d, write %d, read %d), output %d; "+
		"hit ratio %.2f; $%.2f with caching, $%.2f without\n", st.WordCount, s.Requests, prompt, s.InputTokens,
		s.CacheWriteTokens, s.CacheReadTokens, s.OutputTokens, float64(s.CacheReadTokens)/float64(prompt), cached, uncached)
}
