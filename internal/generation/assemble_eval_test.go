package generation

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/content"
)

// The offline evaluation of ai-engine.md §6: every scene of the synthetic book
// assembled at four budgets (4k shows where recall gives way), scored against
// the labels of the book's generator.
//
//	go test -v -run Eval ./internal/generation

var evalBudgets = []int{4000, 8000, 16000, 24000}

// evalTally adds up one budget's figures over every scene.
type evalTally struct {
	scenes                     int
	presentHit, presentAll     int
	presentFull                int // scenes with every present character in
	mentionedHit, mentionedAll int
	codex, codexNeeded         int // codex entries injected, and those the labels need
	direct, directNeeded       int // the same without the entries one relationship away
	factHit, factAll           int
	leaks, stale               int
	overBudget, tokenMismatch  int
	unstable                   int
	tokens, maxTokens          int
	// cached counts the tokens of a prompt's prefix that the one before it
	// sent too: what a prompt cache would read, in a sequential run.
	cached     int
	prevSystem []string
}

func evalRatio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// evalText is everything the model reads.
func evalText(p *Prompt) string {
	var b strings.Builder
	for _, s := range p.Request.System {
		b.WriteString(s.Text)
		b.WriteString("\n")
	}
	for _, m := range p.Request.Messages {
		b.WriteString(m.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// evalTokens counts the tokens of the request as sent.
func evalTokens(p *Prompt) int {
	n := 0
	for _, s := range p.Request.System {
		n += Tokens(s.Text)
	}
	for _, m := range p.Request.Messages {
		n += Tokens(m.Text)
	}
	return n
}

func TestAssembleEval(t *testing.T) {
	f := newSynthBook(evalSpec)
	tallies := runEval(t, f, newSynthBook(evalSpec), 1)
	for bi, budget := range evalBudgets {
		tl := &tallies[bi]
		if budget >= 16000 {
			if tl.presentHit != tl.presentAll {
				t.Errorf("budget %d: cast present recall %d/%d; want all", budget, tl.presentHit, tl.presentAll)
			}
			if r := evalRatio(tl.mentionedHit, tl.mentionedAll); r < 0.98 {
				t.Errorf("budget %d: mentioned recall %.3f; want ≥ 0.98", budget, r)
			}
			if r := evalRatio(tl.directNeeded, tl.direct); r < 0.8 {
				t.Errorf("budget %d: precision of direct codex entries %.3f; want ≥ 0.8", budget, r)
			}
		}
		if budget >= 24000 {
			if r := evalRatio(tl.factHit, tl.factAll); r < 0.95 {
				t.Errorf("budget %d: fact recall %.3f; want ≥ 0.95", budget, r)
			}
		}
	}
}

// TestAssembleEvalLargeBook runs the evaluation on the benchmark's book (about
// 100k words, 500 entities), where the budgets bind, on every fifth scene.
func TestAssembleEvalLargeBook(t *testing.T) {
	if testing.Short() {
		t.Skip("the large book takes a few seconds under -race")
	}
	f := newSynthBook(benchSpec)
	tallies := runEval(t, f, newSynthBook(benchSpec), 5)
	for bi, budget := range evalBudgets {
		if r := evalRatio(tallies[bi].presentHit, tallies[bi].presentAll); budget >= 16000 && r < 1 {
			t.Errorf("budget %d: cast present recall %.3f; want 1", budget, r)
		}
	}
}

// runEval assembles every step-th scene of f at each budget, checks what must
// always hold (no spoiler, the budget kept, the same prompt for the same input,
// again being the same book built anew), and logs the figures.
func runEval(t *testing.T, f, again *synthBook, step int) []evalTally {
	t.Helper()
	t.Logf("book: %d chapters, %d scenes, %d words, %d entities, %d facts, %d relationships",
		len(f.ms.Chapters), len(f.scenes), f.words(), len(f.entities), len(f.facts), len(f.bible.Relationships))
	tallies := make([]evalTally, len(evalBudgets))
	for bi, budget := range evalBudgets {
		tl := &tallies[bi]
		for i := step - 1; i < len(f.scenes); i += step {
			sc := f.scenes[i]
			p, err := Assemble(f.input(sc, budget))
			if err != nil {
				t.Fatalf("budget %d, %s: %v", budget, sc.id, err)
			}
			evalScene(t, f, i, sc, p, tl)
			tl.cached += cachedPrefix(tl.prevSystem, p)
			tl.prevSystem = tl.prevSystem[:0]
			for _, b := range p.Request.System {
				tl.prevSystem = append(tl.prevSystem, b.Text)
			}
			p2, err := Assemble(again.input(again.scenes[i], budget))
			if err != nil {
				t.Fatalf("budget %d, %s again: %v", budget, sc.id, err)
			}
			if !reflect.DeepEqual(p, p2) || p.Manifest.Hash != p2.Manifest.Hash {
				tl.unstable++
				t.Errorf("budget %d, %s: the same input gave a different prompt", budget, sc.id)
			}
		}
	}
	t.Logf("%-6s %7s %6s %9s %9s %11s %6s %5s %5s %4s %6s %11s %5s", "budget", "present", "all-in", "mentioned",
		"precision", "prec-direct", "facts", "leaks", "stale", "over", "stable", "tokens", "cache")
	for bi, budget := range evalBudgets {
		tl := &tallies[bi]
		cache := "-" // only a run of every scene in order says what a cache would read
		if step == 1 {
			cache = fmt.Sprintf("%.2f", evalRatio(tl.cached, tl.tokens))
		}
		t.Logf("%-6d %7.3f %6.3f %9.3f %9.3f %11.3f %6.3f %5d %5d %4d %6.3f %11s %5s", budget,
			evalRatio(tl.presentHit, tl.presentAll), evalRatio(tl.presentFull, tl.scenes),
			evalRatio(tl.mentionedHit, tl.mentionedAll), evalRatio(tl.codexNeeded, tl.codex),
			evalRatio(tl.directNeeded, tl.direct), evalRatio(tl.factHit, tl.factAll),
			tl.leaks, tl.stale, tl.overBudget+tl.tokenMismatch, 1-evalRatio(tl.unstable, tl.scenes),
			fmt.Sprintf("%d/%d", tl.tokens/max(tl.scenes, 1), tl.maxTokens), cache)
	}
	t.Logf("present: recall of the POV and the cast present; all-in: scenes with all of them; mentioned: recall " +
		"of every entity the card names; precision: codex entries the labels need / codex entries; prec-direct: " +
		"the same without the entries one relationship away; facts: recall of needed facts; over: prompts over " +
		"budget or miscounted; tokens: mean/max; cache: share of tokens in a cached prefix the previous scene " +
		"sent too (sequential run, no minimum length)")
	for bi, budget := range evalBudgets {
		tl := &tallies[bi]
		if tl.leaks != 0 || tl.stale != 0 {
			t.Errorf("budget %d: %d spoiler leaks, %d stale facts; want 0", budget, tl.leaks, tl.stale)
		}
		if tl.overBudget != 0 || tl.tokenMismatch != 0 {
			t.Errorf("budget %d: %d prompts over budget, %d miscounted; want 0", budget, tl.overBudget, tl.tokenMismatch)
		}
	}
	return tallies
}

// cachedPrefix counts the tokens of p's system blocks that repeat, from the
// start, the blocks of the prompt before: the prefix a provider's cache reads.
func cachedPrefix(prev []string, p *Prompt) int {
	n := 0
	for i, b := range p.Request.System {
		if i >= len(prev) || prev[i] != b.Text {
			break
		}
		n += Tokens(b.Text)
	}
	return n
}

// evalScene scores the prompt p for the i-th scene sc.
func evalScene(t *testing.T, f *synthBook, i int, sc *synthScene, p *Prompt, tl *evalTally) {
	t.Helper()
	m := p.Manifest
	text := evalText(p)
	tl.scenes++
	tl.tokens += m.Tokens
	tl.maxTokens = max(tl.maxTokens, m.Tokens)
	if m.Tokens > m.Budget {
		tl.overBudget++
		t.Errorf("%s: %d tokens over a budget of %d", sc.id, m.Tokens, m.Budget)
	}
	if n := evalTokens(p); n != m.Tokens || m.BlockTokens.Book+m.BlockTokens.Chapter+m.BlockTokens.Request != m.Tokens {
		tl.tokenMismatch++
		t.Errorf("%s: manifest says %d tokens (blocks %+v), the request has %d", sc.id, m.Tokens, m.BlockTokens, n)
	}
	in := map[string]bool{}
	for _, part := range m.Parts {
		switch part.Section {
		case "cast":
			in[part.ID] = true
		case "codex":
			in[part.ID] = true
			needed := slices.Contains(sc.mentioned, part.ID)
			tl.codex++
			if needed {
				tl.codexNeeded++
			}
			if !strings.HasPrefix(part.Reason, reasonRelated) {
				tl.direct++
				if needed {
					tl.directNeeded++
				}
			}
		}
	}
	full := true
	for _, id := range sc.present {
		tl.presentAll++
		if in[id] {
			tl.presentHit++
		} else {
			full = false
		}
	}
	if full {
		tl.presentFull++
	}
	for _, id := range sc.mentioned {
		tl.mentionedAll++
		if in[id] {
			tl.mentionedHit++
		}
	}
	for _, ft := range f.facts {
		has := strings.Contains(text, ft.text)
		if sc.needed[ft.id] {
			tl.factAll++
			if has {
				tl.factHit++
			}
		}
		if has && ft.from > sc.chapter {
			tl.leaks++
			t.Errorf("%s (chapter %d): fact %s from chapter %d leaked", sc.id, sc.chapter, ft.id, ft.from)
		}
		if has && ft.until != 0 && ft.until < sc.chapter {
			tl.stale++
			t.Errorf("%s (chapter %d): fact %s ended in chapter %d", sc.id, sc.chapter, ft.id, ft.until)
		}
	}
	for _, e := range f.entities {
		if e.secret != "" && e.reveal > sc.chapter && strings.Contains(text, e.secret) {
			tl.leaks++
			t.Errorf("%s (chapter %d): the secret of %s, revealed in chapter %d, leaked", sc.id, sc.chapter, e.name, e.reveal)
		}
	}
	// Nothing of this scene or a later one: no prose, no summary.
	for _, later := range f.scenes[i:] {
		for _, mark := range []string{later.marker, later.summaryMarker, fmt.Sprintf("zc%02d", later.chapter)} {
			if strings.Contains(text, mark) {
				tl.leaks++
				t.Errorf("%s: the prompt holds %s, from %s", sc.id, mark, later.id)
			}
		}
	}
}

// TestAssemblePipelineCache replays the long-form pipeline's calls on the
// benchmark book (about 100k words), each on the manuscript as the pipeline
// has it then: per chapter an outline, then for each scene its draft, its
// summary and the extraction of its facts, then a check of the chapter. The
// prompts go through a model of the provider's prompt cache (a breakpoint on
// each of the last four system blocks, hits looked for up to 20 blocks back,
// nothing stored under 1,024 tokens), which gives the share of prompt tokens
// read from the cache (ai-engine.md §6: ≥0.60 hierarchical, ≥0.90 with the
// recent chapter verbatim; internal/app's BenchmarkPipelineNovelCost measures
// the same through the fake server).
func TestAssemblePipelineCache(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 330 prompts on a 100k-word book")
	}
	f := newSynthBook(benchSpec)
	const budget = DefaultBudget
	sums := map[string]string{}
	for id, s := range f.summaries {
		if strings.HasPrefix(id, "sc-") { // the pipeline summarizes scenes
			sums[id] = s
		}
	}
	sim := newCacheSim(1024)
	blocks := map[string]string{}
	calls := map[string]*cacheUsage{}
	var order []string
	send := func(kind string, in Input) {
		t.Helper()
		in.Bible, in.Summaries, in.Budget = f.bible, sums, budget
		p, err := Assemble(in)
		if err != nil {
			t.Fatalf("%s, chapter %d, scene %d: %v", kind, in.Chapter, in.Scene, err)
		}
		if p.Manifest.Tokens > budget {
			t.Fatalf("%s, chapter %d: %d tokens over a budget of %d", kind, in.Chapter, p.Manifest.Tokens, budget)
		}
		// The chapter block is the same for every call on the chapter, the plan
		// block for every call after the outline.
		for i, b := range p.Request.System {
			key := fmt.Sprintf("%s %d", p.Manifest.Blocks[i], in.Chapter)
			if p.Manifest.Blocks[i] == "plan" && kind == "outline" {
				continue
			}
			if prev, ok := blocks[key]; ok && prev != b.Text && p.Manifest.Blocks[i] != "draft" {
				t.Errorf("%s, chapter %d, scene %d: its %s block differs from the chapter's first call's", kind, in.Chapter, in.Scene, p.Manifest.Blocks[i])
			}
			blocks[key] = b.Text
		}
		u := sim.send(p)
		if calls[kind] == nil {
			calls[kind] = &cacheUsage{}
			order = append(order, kind)
		}
		calls[kind].add(u)
		calls["all"].add(u)
	}
	calls["all"] = &cacheUsage{}
	for ch := 1; ch <= len(f.ms.Chapters); ch++ {
		send("outline", Input{Mode: ModeOutline, Manuscript: pipelineSnapshot(f.ms, ch, -1), Chapter: ch, Instruction: "Give exactly 3 scenes."})
		full := pipelineSnapshot(f.ms, ch, len(f.ms.Chapters[ch-1].Scenes))
		for sn := 1; sn <= len(full.Chapters[ch-1].Scenes); sn++ {
			send("scene", Input{Mode: ModeScene, Manuscript: pipelineSnapshot(f.ms, ch, sn-1), Chapter: ch, Scene: sn})
			ms := pipelineSnapshot(f.ms, ch, sn)
			send("summarize", Input{Mode: ModeSummarize, Manuscript: ms, Chapter: ch, Scene: sn})
			send("facts", Input{Mode: ModeBrainstorm, Manuscript: ms, Chapter: ch, Selection: ms.Chapters[ch-1].Scenes[sn-1].Text,
				Instruction: "Instead of ideas, list the facts this passage establishes that later chapters must respect, as JSON only."})
		}
		send("check", Input{Mode: ModeBrainstorm, Manuscript: full, Chapter: ch, Selection: chapterFullText(&full.Chapters[ch-1]),
			Instruction: "Instead of ideas, check the passage for continuity errors against the story bible and the story so far."})
	}
	t.Logf("%-9s %5s %10s %10s %10s %10s %6s", "call", "n", "tokens", "uncached", "write", "read", "hit")
	for _, kind := range append(order, "all") {
		u := calls[kind]
		t.Logf("%-9s %5d %10d %10d %10d %10d %6.3f", kind, u.n, u.total(), u.input, u.write, u.read, u.ratio())
	}
	// This book is dense (about two tokens a word) and its bible large: the
	// codex each request needs, uncached, is most of what is not read.
	if r := calls["all"].ratio(); r < 0.65 {
		t.Errorf("cache hit ratio %.3f over the pipeline's calls; want at least 0.65", r)
	}
}

// pipelineSnapshot is ms as the pipeline has it while on chapter ch with
// written of its scenes drafted: the chapters before complete, the later ones
// planned but without scenes, and chapter ch without scenes (written < 0), or
// with its cards and the first written scenes' text.
func pipelineSnapshot(ms *content.Manuscript, ch, written int) *content.Manuscript {
	out := &content.Manuscript{Story: ms.Story}
	for _, c := range ms.Chapters {
		switch {
		case c.Number > ch || (c.Number == ch && written < 0):
			c.Scenes = nil
		case c.Number == ch:
			scenes := slices.Clone(c.Scenes)
			for i := range scenes {
				if scenes[i].Number > written {
					scenes[i].Text, scenes[i].WordCount = "", 0
				}
			}
			c.Scenes = scenes
		}
		out.Chapters = append(out.Chapters, c)
	}
	return out
}

// cacheSim models a provider's prompt cache the way aitest's fake Anthropic
// server does, with Tokens as its tokenizer.
type cacheSim struct {
	minTokens int
	entries   map[[32]byte]bool
}

func newCacheSim(minTokens int) *cacheSim {
	return &cacheSim{minTokens: minTokens, entries: map[[32]byte]bool{}}
}

type cacheUsage struct{ n, input, write, read int }

func (u *cacheUsage) add(v cacheUsage) {
	u.n++
	u.input += v.input
	u.write += v.write
	u.read += v.read
}

func (u *cacheUsage) total() int { return u.input + u.write + u.read }

func (u *cacheUsage) ratio() float64 { return evalRatio(u.read, u.total()) }

// send accounts for one prompt: the longest stored prefix that ends at a
// breakpoint, or up to 20 blocks before one, is read; every breakpoint after it
// whose prefix reaches minTokens is written; the rest is uncached input. The
// provider keeps the last four breakpoints of the system blocks.
func (c *cacheSim) send(p *Prompt) cacheUsage {
	type seg struct {
		key   [32]byte
		total int
		mark  bool
	}
	var segs []seg
	var key [32]byte
	total, marks := 0, 0
	for _, b := range p.Request.System {
		key = sha256.Sum256(append(key[:], b.Text...))
		total += Tokens(b.Text)
		segs = append(segs, seg{key: key, total: total, mark: b.Cache})
	}
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i].mark {
			if marks == 4 {
				segs[i].mark = false
			} else {
				marks++
			}
		}
	}
	for _, m := range p.Request.Messages {
		total += Tokens(m.Text)
	}
	hit := -1
	for b := len(segs) - 1; b >= 0 && hit < 0; b-- {
		if !segs[b].mark {
			continue
		}
		for j := b; j >= 0 && j > b-20; j-- {
			if c.entries[segs[j].key] {
				hit = j
				break
			}
		}
	}
	var u cacheUsage
	if hit >= 0 {
		u.read = segs[hit].total
	}
	written := u.read
	for b := hit + 1; b < len(segs); b++ {
		if segs[b].mark && segs[b].total >= c.minTokens {
			c.entries[segs[b].key] = true
			u.write += segs[b].total - written
			written = segs[b].total
		}
	}
	u.input = total - written
	return u
}
