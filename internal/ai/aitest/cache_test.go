package aitest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/ai/aitest"
)

// text returns n tokens of prose that starts with salt (at most five letters
// or digits), so blocks with different salts differ from their first byte.
func text(t *testing.T, salt string, n int) string {
	t.Helper()
	s := salt + strings.Repeat(" word", n-1)
	if got := aitest.Tokens(s); got != n {
		t.Fatalf("text(%q, %d) has %d tokens", salt, n, got)
	}
	return s
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// promptUsage runs req and returns its usage without the output tokens.
func promptUsage(t *testing.T, p *ai.AnthropicProvider, req ai.Request) ai.Usage {
	t.Helper()
	res, err := p.Stream(context.Background(), req, func(string) error { return nil })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	u := res.Usage
	u.OutputTokens = 0
	return u
}

func TestCacheThroughProvider(t *testing.T) {
	clock := aitest.NewClock(t0)
	fake, p := newAnthropic(t, aitest.AnthropicOptions{Now: clock.Now}, nil)
	bible, chapter := text(t, "bible", 1200), text(t, "chap", 600)
	scene := func(bible, chapter, tail string) ai.Request {
		return ai.Request{
			System:    []ai.Block{{Text: bible, Cache: true}, {Text: chapter, Cache: true}, {Text: tail}},
			Messages:  []ai.Message{{Role: "user", Text: text(t, "card", 50)}},
			MaxTokens: 200,
		}
	}
	steps := []struct {
		name string
		req  ai.Request
		want ai.Usage
	}{
		{"first call writes both breakpoints", scene(bible, chapter, text(t, "tail", 300)),
			ai.Usage{CacheWriteTokens: 1800, InputTokens: 350}},
		{"identical call reads them", scene(bible, chapter, text(t, "tail", 300)),
			ai.Usage{CacheReadTokens: 1800, InputTokens: 350}},
		{"changed tail still reads the prefix", scene(bible, chapter, text(t, "tail2", 260)),
			ai.Usage{CacheReadTokens: 1800, InputTokens: 310}},
		{"changed chapter reads the bible", scene(bible, text(t, "chap2", 700), text(t, "tail", 300)),
			ai.Usage{CacheReadTokens: 1200, CacheWriteTokens: 700, InputTokens: 350}},
		{"changed first block misses", scene(text(t, "bibl2", 1200), chapter, text(t, "tail", 300)),
			ai.Usage{CacheWriteTokens: 1800, InputTokens: 350}},
	}
	for _, s := range steps {
		clock.Advance(time.Minute)
		if got := promptUsage(t, p, s.req); got != s.want {
			t.Errorf("%s: usage = %+v, want %+v", s.name, got, s.want)
		}
	}
	st := fake.Stats()
	if st.CacheWriteTokens != 1800+700+1800 || st.CacheReadTokens != 1800+1800+1200 || st.CacheWrite1hTokens != 0 {
		t.Errorf("stats = %+v", st)
	}
	if st.PromptTokens() != 5*1800+350*4+310+100 {
		t.Errorf("prompt tokens = %d, want %d", st.PromptTokens(), 5*1800+350*4+310+100)
	}
}

func TestCacheMinimumLength(t *testing.T) {
	_, p := newAnthropic(t, aitest.AnthropicOptions{}, nil) // minimum 1024
	short := ai.Request{
		System:    []ai.Block{{Text: text(t, "bible", 500), Cache: true}},
		Messages:  []ai.Message{{Role: "user", Text: text(t, "card", 50)}},
		MaxTokens: 100,
	}
	for i := range 2 {
		if got, want := promptUsage(t, p, short), (ai.Usage{InputTokens: 550}); got != want {
			t.Errorf("call %d under the minimum: usage = %+v, want %+v", i, got, want)
		}
	}
	// A later breakpoint past the minimum is cached, covering the short one too.
	long := short
	long.System = append(long.System[:1:1], ai.Block{Text: text(t, "chap", 600), Cache: true})
	if got, want := promptUsage(t, p, long), (ai.Usage{CacheWriteTokens: 1100, InputTokens: 50}); got != want {
		t.Errorf("past the minimum: usage = %+v, want %+v", got, want)
	}
	if got, want := promptUsage(t, p, long), (ai.Usage{CacheReadTokens: 1100, InputTokens: 50}); got != want {
		t.Errorf("past the minimum, again: usage = %+v, want %+v", got, want)
	}
}

func TestCacheFiveMinuteTTL(t *testing.T) {
	clock := aitest.NewClock(t0)
	_, p := newAnthropic(t, aitest.AnthropicOptions{Now: clock.Now}, nil)
	req := ai.Request{
		System:    []ai.Block{{Text: text(t, "bible", 1100), Cache: true}},
		Messages:  []ai.Message{{Role: "user", Text: "Go."}},
		MaxTokens: 100,
	}
	write, read := ai.Usage{CacheWriteTokens: 1100, InputTokens: 2}, ai.Usage{CacheReadTokens: 1100, InputTokens: 2}
	steps := []struct {
		name    string
		advance time.Duration
		want    ai.Usage
	}{
		{"write", 0, write},
		{"hit after 4m", 4 * time.Minute, read},
		{"hit 8m after the write, 4m after the refresh", 4 * time.Minute, read},
		{"miss 5m after the last hit", 5*time.Minute + time.Second, write},
		{"hit after the rewrite", time.Minute, read},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		if got := promptUsage(t, p, req); got != s.want {
			t.Errorf("%s: usage = %+v, want %+v", s.name, got, s.want)
		}
	}
}

// sdkUsage streams params through the SDK itself and returns the final usage,
// for what internal/ai cannot send: TTLs, message breakpoints, automatic caching.
func sdkUsage(t *testing.T, client anthropic.Client, params anthropic.MessageNewParams) anthropic.MessageDeltaUsage {
	t.Helper()
	stream := client.Messages.NewStreaming(context.Background(), params)
	defer stream.Close()
	var usage anthropic.MessageDeltaUsage
	stopped := false
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "message_delta":
			usage = ev.Usage
		case "message_stop":
			stopped = true
		}
	}
	if err := stream.Err(); err != nil || !stopped {
		t.Fatalf("SDK stream: err %v, stopped %v", err, stopped)
	}
	return usage
}

func newSDK(fake *aitest.Anthropic, opts ...option.RequestOption) anthropic.Client {
	return anthropic.NewClient(append([]option.RequestOption{
		option.WithoutEnvironmentDefaults(), option.WithBaseURL(fake.URL), option.WithAPIKey("test-key"), option.WithMaxRetries(0),
	}, opts...)...)
}

func TestCacheOneHourTTL(t *testing.T) {
	clock := aitest.NewClock(t0)
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{Now: clock.Now})
	defer fake.Close()
	client := newSDK(fake)
	params := func(ttl anthropic.CacheControlEphemeralTTL, salt string) anthropic.MessageNewParams {
		return anthropic.MessageNewParams{
			Model:     "claude-test-5",
			MaxTokens: 100,
			System: []anthropic.TextBlockParam{{
				Text:         text(t, salt, 1500),
				CacheControl: anthropic.CacheControlEphemeralParam{TTL: ttl},
			}},
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Go."))},
		}
	}
	hour, five := params(anthropic.CacheControlEphemeralTTLTTL1h, "hour"), params(anthropic.CacheControlEphemeralTTLTTL5m, "five")
	if u := sdkUsage(t, client, hour); u.CacheCreationInputTokens != 1500 {
		t.Fatalf("1h write: usage %+v", u)
	}
	if u := sdkUsage(t, client, five); u.CacheCreationInputTokens != 1500 {
		t.Fatalf("5m write: usage %+v", u)
	}
	if st := fake.Stats(); st.CacheWrite1hTokens != 1500 || st.CacheWriteTokens != 3000 {
		t.Errorf("stats = %+v, want 1500 of 3000 written tokens at 1h", st)
	}
	clock.Advance(30 * time.Minute)
	if u := sdkUsage(t, client, hour); u.CacheReadInputTokens != 1500 {
		t.Errorf("1h entry after 30m: usage %+v, want a read", u)
	}
	if u := sdkUsage(t, client, five); u.CacheReadInputTokens != 0 || u.CacheCreationInputTokens != 1500 {
		t.Errorf("5m entry after 30m: usage %+v, want a miss and a rewrite", u)
	}
	clock.Advance(61 * time.Minute)
	if u := sdkUsage(t, client, hour); u.CacheReadInputTokens != 0 {
		t.Errorf("1h entry 61m after its last hit: usage %+v, want a miss", u)
	}
}

func TestCacheMessageBreakpoints(t *testing.T) {
	user := func(text string, cache bool) anthropic.MessageParam {
		b := anthropic.TextBlockParam{Text: text}
		if cache {
			b.CacheControl = anthropic.NewCacheControlEphemeralParam()
		}
		return anthropic.NewUserMessage(anthropic.ContentBlockParamUnion{OfText: &b})
	}
	turn1, reply, turn2 := text(t, "turn", 1100), text(t, "reply", 200), text(t, "next", 30)
	conversation := func(cacheLast bool) (first, longer []anthropic.MessageParam) {
		first = []anthropic.MessageParam{user(turn1, cacheLast)}
		longer = []anthropic.MessageParam{
			user(turn1, false),
			anthropic.NewAssistantMessage(anthropic.NewTextBlock(reply)),
			user(turn2, cacheLast),
		}
		return first, longer
	}
	markedFirst, markedLonger := conversation(true)
	plainFirst, plainLonger := conversation(false)
	tests := []struct {
		name          string
		first, second anthropic.MessageNewParams
	}{
		{"marker on the last message",
			anthropic.MessageNewParams{Messages: markedFirst},
			anthropic.MessageNewParams{Messages: markedLonger}},
		{"automatic cache_control",
			anthropic.MessageNewParams{Messages: plainFirst, CacheControl: anthropic.NewCacheControlEphemeralParam()},
			anthropic.MessageNewParams{Messages: plainLonger, CacheControl: anthropic.NewCacheControlEphemeralParam()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := aitest.NewAnthropic(aitest.AnthropicOptions{})
			defer fake.Close()
			client := newSDK(fake)
			for _, p := range []*anthropic.MessageNewParams{&tt.first, &tt.second} {
				p.Model, p.MaxTokens = "claude-test-5", 100
			}
			if u := sdkUsage(t, client, tt.first); u.CacheCreationInputTokens != 1100 || u.InputTokens != 0 {
				t.Errorf("first turn: usage %+v, want 1100 written", u)
			}
			// The breakpoint moved to the new last message; the cache looks back to
			// the earlier one and writes only what was added.
			if u := sdkUsage(t, client, tt.second); u.CacheReadInputTokens != 1100 || u.CacheCreationInputTokens != 230 || u.InputTokens != 0 {
				t.Errorf("second turn: usage %+v, want 1100 read and 230 written", u)
			}
		})
	}
}
