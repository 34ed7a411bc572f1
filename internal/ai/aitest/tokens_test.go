package aitest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"   \t ", 0},
		{"It", 1},
		{"night", 1},
		{"nights", 2},
		{"It was a dark night.", 6},
		{"naïve café", 2},
		{"東京へ", 1},
		{"one\n\ntwo", 4},
		{"“Yes,” he said.", 7},
		{"1234567890", 2},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); got != tt.want {
			t.Errorf("Tokens(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestScriptedReply(t *testing.T) {
	a, b := ScriptedReply("Write the harbour scene."), ScriptedReply("Write the harbour scene.")
	if a != b {
		t.Fatalf("ScriptedReply is not deterministic:\n%q\n%q", a, b)
	}
	if c := ScriptedReply("Write the cellar scene."); c == a {
		t.Errorf("two prompts got the same reply %q", a)
	}
	if n := strings.Count(a, ".") + strings.Count(a, ":"); n < 8 {
		t.Errorf("reply %q has %d sentences, want at least 8", a, n)
	}
}

func TestPiecesAdditive(t *testing.T) {
	for _, prompt := range []string{"a", "b", "c", "d"} {
		reply := ScriptedReply(prompt)
		ps := pieces(reply)
		sum := 0
		for _, p := range ps {
			sum += Tokens(p)
		}
		if got := strings.Join(ps, ""); got != reply {
			t.Fatalf("pieces do not rebuild the reply:\n got %q\nwant %q", got, reply)
		}
		if want := Tokens(reply); sum != want {
			t.Errorf("sum of piece tokens = %d, want Tokens(reply) = %d", sum, want)
		}
	}
}

func TestMakePlan(t *testing.T) {
	const reply = "It was a dark night. The rain fell. THE END and more."
	tests := []struct {
		name     string
		budget   int
		stops    []string
		wantText string
		wantStop string
		wantSeq  string
	}{
		{"whole", -1, nil, reply, "end_turn", ""},
		{"budget cuts", 4, nil, "It was a dark", "max_tokens", ""},
		{"budget inside a word", 1, []string{"zzz"}, "It", "max_tokens", ""},
		{"stop sequence", -1, []string{"THE END", "rain"}, "It was a dark night. The ", "stop_sequence", "rain"},
		{"budget before stop", 2, []string{"rain"}, "It was", "max_tokens", ""},
		{"exact fit", Tokens(reply), nil, reply, "end_turn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := makePlan(reply, tt.budget, tt.stops)
			if p.text != tt.wantText || p.stopReason != tt.wantStop || p.stopSequence != tt.wantSeq {
				t.Errorf("plan = %q %s %q, want %q %s %q", p.text, p.stopReason, p.stopSequence, tt.wantText, tt.wantStop, tt.wantSeq)
			}
			if got := strings.Join(p.deltas, ""); got != p.text {
				t.Errorf("deltas join to %q, want %q", got, p.text)
			}
			if p.tokens != Tokens(p.text) || (tt.budget >= 0 && p.tokens > tt.budget) {
				t.Errorf("tokens = %d, want Tokens(text) = %d within budget %d", p.tokens, Tokens(p.text), tt.budget)
			}
		})
	}
}

func TestSplitPointsCutsInsideACharacter(t *testing.T) {
	frame := `data: {"text":"café 東京"}` + "\n\n"
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		cuts := splitPoints(frame, rng)
		midRune, prev := false, 0
		for _, c := range cuts {
			if c <= prev || c >= len(frame) {
				t.Fatalf("cuts %v are not increasing inside (0, %d)", cuts, len(frame))
			}
			if c-prev > 16 {
				t.Errorf("piece %d..%d is longer than 16 bytes", prev, c)
			}
			midRune = midRune || !utf8.RuneStart(frame[c])
			prev = c
		}
		if !midRune {
			t.Errorf("cuts %v never split a multi-byte character", cuts)
		}
	}
}

func TestSequence(t *testing.T) {
	script := Sequence(Fault{Kind: FaultOverloaded}, Fault{Kind: FaultRateLimit})
	for n, want := range []FaultKind{FaultOverloaded, FaultRateLimit, FaultNone, FaultNone} {
		if got := script(n, ParsedRequest{}).Kind; got != want {
			t.Errorf("request %d: fault %v, want %v", n, got, want)
		}
	}
}

// seg builds cache segments from token counts; marks holds the TTL of each
// breakpoint by index.
func segs(model string, tokens []int, marks map[int]time.Duration) []segment {
	in := make([]segmentInput, len(tokens))
	for i, n := range tokens {
		ttl, ok := marks[i]
		in[i] = segmentInput{role: "system", msg: -1, canon: []byte{byte(i), byte(n)}, tokens: n, cache: ok, ttl: ttl}
	}
	return chainSegments(model, in)
}

func TestPromptCacheAccount(t *testing.T) {
	const m5 = 5 * time.Minute
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := newPromptCache(100)
	step := func(name string, s []segment, at time.Time, want cacheUsage) {
		t.Helper()
		if got := c.account(s, at); got != want {
			t.Errorf("%s: usage = %+v, want %+v", name, got, want)
		}
	}
	two := segs("m", []int{60, 80, 30}, map[int]time.Duration{0: m5, 1: m5})
	// The first breakpoint (60) is under the minimum, so one entry covers 140.
	step("first", two, now, cacheUsage{input: 30, write: 140})
	step("again", two, now.Add(time.Minute), cacheUsage{input: 30, read: 140})
	step("other model", segs("n", []int{60, 80, 30}, map[int]time.Duration{0: m5, 1: m5}), now, cacheUsage{input: 30, write: 140})
	// No breakpoint, no caching, even though the prefix is cached.
	step("unmarked", segs("m", []int{60, 80, 30}, nil), now, cacheUsage{input: 170})
	// Expiry counts from the last hit (minute 1), not from the write.
	step("refreshed", two, now.Add(5*time.Minute+30*time.Second), cacheUsage{input: 30, read: 140})
	step("expired", two, now.Add(11*time.Minute), cacheUsage{input: 30, write: 140})
	// One-hour writes are reported apart.
	hour := segs("m", []int{200, 50}, map[int]time.Duration{0: time.Hour, 1: m5})
	step("1h write", hour, now, cacheUsage{write: 250, write1h: 200})
	step("1h survives", segs("m", []int{200, 99}, map[int]time.Duration{0: time.Hour, 1: m5}), now.Add(40*time.Minute), cacheUsage{read: 200, write: 99})
}

func TestPromptCacheLookback(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := newPromptCache(0)
	tokens := make([]int, 30)
	for i := range tokens {
		tokens[i] = 10
	}
	c.account(segs("m", tokens[:5], map[int]time.Duration{4: time.Minute}), now)
	// A breakpoint 10 blocks later finds the entry at block 4 by looking back.
	if got := c.account(segs("m", tokens[:15], map[int]time.Duration{14: time.Minute}), now); got.read != 50 || got.write != 100 {
		t.Errorf("within lookback: usage = %+v, want read 50, write 100", got)
	}
	c = newPromptCache(0)
	c.account(segs("m", tokens[:5], map[int]time.Duration{4: time.Minute}), now)
	if got := c.account(segs("m", tokens[:30], map[int]time.Duration{29: time.Minute}), now); got.read != 0 {
		t.Errorf("beyond lookback: usage = %+v, want no read", got)
	}
}
