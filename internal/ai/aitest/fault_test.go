package aitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/ai/aitest"
)

func statuses(reqs []aitest.ParsedRequest) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

const minimal = `{"model":"m","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}`

func TestAnthropicErrorAnswers(t *testing.T) {
	tests := []struct {
		name        string
		fault       aitest.Fault
		wantStatus  int
		wantType    string
		wantHeaders map[string]string
	}{
		{"rate limit", aitest.Fault{Kind: aitest.FaultRateLimit}, 429, "rate_limit_error", map[string]string{
			"retry-after": "1", "retry-after-ms": "", "anthropic-ratelimit-requests-remaining": "0",
			"anthropic-ratelimit-input-tokens-remaining": "0", "anthropic-ratelimit-tokens-limit": "2000000",
		}},
		{"rate limit in ms", aitest.Fault{Kind: aitest.FaultRateLimit, RetryAfter: 1500 * time.Millisecond}, 429, "rate_limit_error",
			map[string]string{"retry-after": "2", "retry-after-ms": "1500"}},
		{"overloaded", aitest.Fault{Kind: aitest.FaultOverloaded}, 529, "overloaded_error", map[string]string{"x-should-retry": ""}},
		{"overloaded, do not retry", aitest.Fault{Kind: aitest.FaultOverloaded, ShouldRetry: "false"}, 529, "overloaded_error",
			map[string]string{"x-should-retry": "false"}},
		{"server error", aitest.Fault{Kind: aitest.FaultServerError}, 500, "api_error", nil},
		{"status", aitest.Fault{Kind: aitest.FaultStatus, Status: 401}, 401, "authentication_error", nil},
		{"status with type", aitest.Fault{Kind: aitest.FaultStatus, Status: 503, ErrorType: "custom_error"}, 503, "custom_error", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := aitest.NewAnthropic(aitest.AnthropicOptions{Script: aitest.Sequence(tt.fault)})
			defer fake.Close()
			res := postRaw(t, fake.URL+"/v1/messages", minimal)
			defer res.Body.Close()
			var body struct {
				Type  string `json:"type"`
				Error struct {
					Type    string `json:"type"`
					Message string `json:"message"`
				} `json:"error"`
				RequestID string `json:"request_id"`
			}
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.wantStatus || body.Type != "error" || body.Error.Type != tt.wantType ||
				body.Error.Message == "" || body.RequestID != "req_fake_000000" || res.Header.Get("request-id") != body.RequestID {
				t.Errorf("answer %d %+v, want %d %s", res.StatusCode, body, tt.wantStatus, tt.wantType)
			}
			for k, want := range tt.wantHeaders {
				if got := res.Header.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if got := statuses(fake.Requests()); !slices.Equal(got, []int{tt.wantStatus}) {
				t.Errorf("recorded statuses = %v, want [%d]", got, tt.wantStatus)
			}
		})
	}
}

func TestAnthropicRetryAfterHonoured(t *testing.T) {
	tests := []struct {
		name          string
		retryAfter    time.Duration
		atLeast, most time.Duration
	}{
		{"retry-after in seconds", time.Second, 990 * time.Millisecond, 1800 * time.Millisecond},
		{"retry-after-ms", 250 * time.Millisecond, 245 * time.Millisecond, 900 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, p := newAnthropic(t, aitest.AnthropicOptions{
				Script: aitest.Sequence(aitest.Fault{Kind: aitest.FaultRateLimit, RetryAfter: tt.retryAfter}),
			}, nil)
			start := time.Now()
			res, err := p.Stream(context.Background(), userRequest(prompt, 4000), func(string) error { return nil })
			elapsed := time.Since(start)
			if err != nil || res.Text != aitest.ScriptedReply(prompt) {
				t.Fatalf("Stream = %v; want the reply after one retry", err)
			}
			if got := statuses(fake.Requests()); !slices.Equal(got, []int{429, 200}) {
				t.Errorf("statuses = %v, want [429 200]", got)
			}
			if elapsed < tt.atLeast || elapsed > tt.most {
				t.Errorf("took %v, want between %v and %v", elapsed, tt.atLeast, tt.most)
			}
		})
	}
}

func TestAnthropicFaultsThroughProvider(t *testing.T) {
	full := aitest.ScriptedReply(prompt)
	always := func(f aitest.Fault) func(int, aitest.ParsedRequest) aitest.Fault {
		return func(int, aitest.ParsedRequest) aitest.Fault { return f }
	}
	tests := []struct {
		name         string
		script       func(int, aitest.ParsedRequest) aitest.Fault
		idle         time.Duration
		wantStatuses []int
		wantErr      func(error) bool
		wantDeltas   int // -1: the whole reply
		minElapsed   time.Duration
	}{
		{"overloaded every time", always(aitest.Fault{Kind: aitest.FaultOverloaded}), 0, []int{529, 529, 529},
			func(err error) bool {
				var e *ai.APIError
				return errors.As(err, &e) && e.Status == 529 && e.Type == "overloaded_error" && !errors.Is(err, ai.ErrIncomplete)
			}, 0, 0},
		{"server error once", aitest.Sequence(aitest.Fault{Kind: aitest.FaultServerError}), 0, []int{500, 200}, nil, -1, 0},
		{"error event after 200", aitest.Sequence(aitest.Fault{Kind: aitest.FaultErrorEvent, AfterDeltas: 2}), 0, []int{200},
			func(err error) bool {
				var e *ai.APIError
				return errors.Is(err, ai.ErrIncomplete) && errors.As(err, &e) && e.Status == 0 && e.Type == "overloaded_error" && e.RequestID == "req_fake_000000"
			}, 2, 0},
		{"connection cut", aitest.Sequence(aitest.Fault{Kind: aitest.FaultCut, AfterDeltas: 3}), 0, []int{200},
			func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 3, 0},
		{"clean end without message_stop", aitest.Sequence(aitest.Fault{Kind: aitest.FaultEndEarly}), 0, []int{200},
			func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 1, 0},
		{"cut before any text is retried", aitest.Sequence(aitest.Fault{Kind: aitest.FaultCut, AfterDeltas: -1}), 0, []int{200, 200}, nil, -1, 0},
		{"short stall", aitest.Sequence(aitest.Fault{Kind: aitest.FaultStall, Stall: 300 * time.Millisecond, AfterDeltas: 4}), time.Second,
			[]int{200}, nil, -1, 300 * time.Millisecond},
		{"stall past the idle timeout", aitest.Sequence(aitest.Fault{Kind: aitest.FaultStall, AfterDeltas: 2}), 200 * time.Millisecond,
			[]int{200}, func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 2, 200 * time.Millisecond},
		{"slow headers", aitest.Sequence(aitest.Fault{Kind: aitest.FaultStallHeaders, Stall: 200 * time.Millisecond}), time.Second,
			[]int{200}, nil, -1, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, p := newAnthropic(t, aitest.AnthropicOptions{Script: tt.script, ChunkSplit: true}, func(c *ai.AnthropicConfig) {
				if tt.idle > 0 {
					c.IdleTimeout = tt.idle
				}
			})
			var deltas []string
			start := time.Now()
			res, err := p.Stream(context.Background(), userRequest(prompt, 4000), collect(&deltas))
			elapsed := time.Since(start)
			if got := statuses(fake.Requests()); !slices.Equal(got, tt.wantStatuses) {
				t.Errorf("statuses = %v, want %v", got, tt.wantStatuses)
			}
			if elapsed < tt.minElapsed || elapsed > tt.minElapsed+1500*time.Millisecond {
				t.Errorf("took %v, want %v plus a little", elapsed, tt.minElapsed)
			}
			if tt.wantErr == nil {
				if err != nil || res.Text != full || res.Partial {
					t.Fatalf("Stream = %+v, %v; want the whole reply", res, err)
				}
				return
			}
			if !tt.wantErr(err) {
				t.Fatalf("err = %v, not the error wanted", err)
			}
			if tt.wantDeltas == 0 {
				if res != nil {
					t.Errorf("result = %+v, want nil", res)
				}
				return
			}
			if len(deltas) != tt.wantDeltas || res == nil || !res.Partial || res.Text != strings.Join(deltas, "") || !strings.HasPrefix(full, res.Text) {
				t.Errorf("deltas = %q, result = %+v; want %d deltas kept as a partial result", deltas, res, tt.wantDeltas)
			}
		})
	}
}

func TestAnthropicShouldRetryHeaderStopsSDKRetries(t *testing.T) {
	tests := []struct {
		name        string
		shouldRetry string
		want        int
	}{
		{"without the header", "", 3},
		{"x-should-retry: false", "false", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := aitest.NewAnthropic(aitest.AnthropicOptions{Script: func(int, aitest.ParsedRequest) aitest.Fault {
				return aitest.Fault{Kind: aitest.FaultOverloaded, ShouldRetry: tt.shouldRetry, RetryAfter: 10 * time.Millisecond}
			}})
			defer fake.Close()
			client := newSDK(fake, option.WithMaxRetries(2))
			stream := client.Messages.NewStreaming(context.Background(), anthropic.MessageNewParams{
				Model: "m", MaxTokens: 10, Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
			})
			for stream.Next() {
			}
			var apiErr *anthropic.Error
			if err := stream.Err(); !errors.As(err, &apiErr) || apiErr.StatusCode != 529 {
				t.Errorf("err = %v, want a 529", err)
			}
			_ = stream.Close()
			if got := len(fake.Requests()); got != tt.want {
				t.Errorf("requests = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAnthropicLatencyKnobs(t *testing.T) {
	_, p := newAnthropic(t, aitest.AnthropicOptions{
		FirstTokenDelay: 150 * time.Millisecond,
		TokenDelay:      20 * time.Millisecond,
		Reply:           func(aitest.ParsedRequest) string { return "one two three four five" },
	}, nil)
	start := time.Now()
	var first time.Duration
	res, err := p.Stream(context.Background(), userRequest("hi", 100), func(string) error {
		if first == 0 {
			first = time.Since(start)
		}
		return nil
	})
	total := time.Since(start)
	if err != nil || res.Text != "one two three four five" {
		t.Fatalf("Stream = %+v, %v", res, err)
	}
	if first < 150*time.Millisecond || first > 600*time.Millisecond {
		t.Errorf("first token after %v, want about 150ms", first)
	}
	if total < 230*time.Millisecond {
		t.Errorf("stream took %v, want at least 150ms + 4×20ms", total)
	}
}

func TestAnthropicUnknownRoute(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{})
	defer fake.Close()
	res, err := http.Get(fake.URL + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("GET /v1/models = %d, want 404", res.StatusCode)
	}
}
