package generation

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
)

func TestMatcherFind(t *testing.T) {
	m := newMatcher()
	m.add("mara", "Mara Quill", "Mara", "the Cartographer")
	m.add("tom", "Tom")
	m.add("wardens", "Warden Order", "Warden")
	m.add("library", "Glass Library")
	m.add("ash", "Ash")
	m.add("box", "Box")
	m.add("zoe", "Zoë")
	m.add("x", "X") // too short: never found
	m.add("ghost", "_ghost")
	tests := []struct {
		name, text string
		want       []string
	}{
		{"whole word", "Mara left.", []string{"mara"}},
		{"any case", "MARA and tom", []string{"mara", "tom"}},
		{"inside another word", "Maradona sat by the tomb of an atom", nil},
		{"word before", "Amara waited", nil},
		{"possessive", "Mara's map and Tom’s coat", []string{"mara", "tom"}},
		{"possessive of a plural", "the Wardens' oath", []string{"wardens"}},
		{"plural", "two Wardens came", []string{"wardens"}},
		{"plural in es", "three boxes", []string{"box"}},
		{"plural ending only at the end", "Boxesful", nil},
		{"multi-word name", "in the glass   library", nil},
		{"multi-word name, any case", "in the GLASS LIBRARY at noon", []string{"library"}},
		{"part of a multi-word name", "a glass of wine in the Library", nil},
		{"multi-word alias", "The cartographer drew", []string{"mara"}},
		{"not inside a word", "Ashford washed", nil},
		{"plural rule's price", "ashes", []string{"ash"}},
		{"non-ASCII", "Zoë's lamp", []string{"zoe"}},
		{"one letter names are ignored", "X marks the spot", nil},
		{"name that starts with a symbol", "the _ghost walked", []string{"ghost"}},
		{"in the order added", "Tom, the Warden, Mara", []string{"mara", "tom", "wardens"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.find(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("find(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestMatcherAgreesWithScan checks the word-indexed matcher against the plain
// definition (containsWord for every name) on every card and scene of a book.
func TestMatcherAgreesWithScan(t *testing.T) {
	f := newSynthBook(evalSpec)
	m := newMatcher()
	names := map[string][]string{}
	for _, e := range f.entities {
		n := append([]string{e.name}, e.aliases...)
		m.add(e.id, n...)
		names[e.id] = n
	}
	var texts []string
	for _, c := range f.ms.Chapters {
		for _, sc := range c.Scenes {
			texts = append(texts, sc.Text, sc.Title+"\n"+sc.Setting+"\n"+sc.Card.Goal+"\n"+strings.Join(sc.Card.Beats, "\n"))
		}
	}
	for _, text := range texts {
		var want []string
		for _, e := range f.entities {
			for _, n := range names[e.id] {
				if containsWord(strings.ToLower(text), strings.ToLower(n)) {
					want = append(want, e.id)
					break
				}
			}
		}
		if got := m.find(text); !reflect.DeepEqual(got, want) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestBM25(t *testing.T) {
	ps := []*passage{
		{Where: "a", paras: []string{"The harbour was full of boats and nets and the smell of tar."}},
		{Where: "b", paras: []string{"The Wardens rode out at dawn; the warden captain led them north."}},
		{Where: "c", paras: []string{"Bread, cheese and a jug of cider on the table."}},
		{Where: "d", paras: []string{"Nets and boats again, tar again, the harbour again."}},
	}
	hits := newIndex(ps, "Where did the wardens ride?").search(3)
	if len(hits) != 1 || hits[0].p.Where != "b" {
		t.Fatalf("search for wardens = %v, want only passage b", hits)
	}
	// Both passages about the harbour match: the one saying more about it wins.
	hits = newIndex(ps, "harbour boats nets tar").search(5)
	if got := wheres(hits); !reflect.DeepEqual(got, []string{"d", "a"}) && !reflect.DeepEqual(got, []string{"a", "d"}) {
		t.Fatalf("search for the harbour = %v, want a and d", got)
	}
	if hits := newIndex(ps, "the of and").search(5); hits != nil {
		t.Errorf("a query of stop words found %v, want nothing", wheres(hits))
	}
	if hits := newIndex(nil, "harbour").search(5); hits != nil {
		t.Errorf("an empty index found %v", hits)
	}
	// Equal passages tie: text order decides, every time.
	same := []*passage{{Where: "1", paras: []string{"salt and smoke"}}, {Where: "2", paras: []string{"salt and smoke"}},
		{Where: "3", paras: []string{"salt and smoke"}}}
	for range 20 {
		if got := wheres(newIndex(same, "smoke salt").search(2)); !reflect.DeepEqual(got, []string{"1", "2"}) {
			t.Fatalf("tied search = %v, want [1 2]", got)
		}
	}
}

func wheres(hits []scored) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.p.Where)
	}
	return out
}

func TestTerms(t *testing.T) {
	got := terms("The Wardens' HORSES, and Zoë's boxes; a glass-cutter.")
	want := []string{"warden", "horse", "zoë", "boxe", "glass", "cutter"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("terms = %q, want %q", got, want)
	}
}

func TestSplitPassages(t *testing.T) {
	text := "one two three\n\nfour five\n\n\nsix seven eight nine\nten"
	ps := splitPassages("ch 1", "c1", text, 5)
	var got []string
	for _, p := range ps {
		got = append(got, p.text())
	}
	want := []string{"one two three\n\nfour five", "six seven eight nine\n\nten"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitPassages = %q, want %q", got, want)
	}
	if n := countWords(" a\tb\u00a0c  d\n"); n != len(strings.Fields(" a\tb\u00a0c  d\n")) {
		t.Errorf("countWords = %d, want %d", n, len(strings.Fields(" a\tb\u00a0c  d\n")))
	}
}

func TestTailParagraphs(t *testing.T) {
	segs := []segment{
		{where: "s1", text: "alpha beta gamma\n\ndelta epsilon"},
		{where: "s2", text: "zeta eta theta iota\n\nkappa"},
	}
	texts := func(ps []segment) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.where+": "+p.text)
		}
		return out
	}
	tests := []struct {
		words int
		want  []string
	}{
		{0, nil},
		{1, []string{"s2: kappa"}},
		{4, []string{"s2: kappa"}},
		{5, []string{"s2: zeta eta theta iota", "s2: kappa"}},
		{7, []string{"s1: delta epsilon", "s2: zeta eta theta iota", "s2: kappa"}},
		{100, []string{"s1: alpha beta gamma", "s1: delta epsilon", "s2: zeta eta theta iota", "s2: kappa"}},
	}
	for _, tt := range tests {
		if got := texts(tailParagraphs(segs, tt.words)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tailParagraphs(%d) = %q, want %q", tt.words, got, tt.want)
		}
	}
	// A last paragraph longer than the limit is cut to its end.
	long := []segment{{where: "s", text: "one two three four five six"}}
	if got := texts(tailParagraphs(long, 2)); !reflect.DeepEqual(got, []string{"s: … five six"}) {
		t.Errorf("tailParagraphs of a long paragraph = %q", got)
	}
	if got := lastWords(segs, 5); got != "zeta eta theta iota\nkappa" {
		t.Errorf("lastWords = %q", got)
	}
}

func TestTokens(t *testing.T) {
	if Tokens("") != 0 {
		t.Errorf("Tokens(\"\") = %d, want 0", Tokens(""))
	}
	prose := strings.Repeat("The wind turned cold off the water, and nobody spoke for a long moment. ", 20)
	words := len(strings.Fields(prose))
	if n := Tokens(prose); n < words || n > words*2 {
		t.Errorf("Tokens of %d words of prose = %d, want between 1 and 2 per word", words, n)
	}
	for _, s := range []string{"a", "日本語のテキスト", "{\"k\":[1,2,3]}", "zx07q2", strings.Repeat("é", 100)} {
		if n := Tokens(s); n < (len(s)+3)/4 || n < 1 {
			t.Errorf("Tokens(%q) = %d: below a token per 4 bytes", s, n)
		}
	}
	// fill relies on this: joining two texts with a blank line costs at most
	// one token more than the two apart.
	r := rand.New(rand.NewPCG(7, 7))
	alphabet := []rune("ab cd,.'’\né日 \t—1")
	for range 2000 {
		a, b := randomText(r, alphabet), randomText(r, alphabet)
		if Tokens(a+"\n\n"+b) > Tokens(a)+Tokens(b)+1 {
			t.Fatalf("Tokens(%q + %q) = %d > %d + %d + 1", a, b, Tokens(a+"\n\n"+b), Tokens(a), Tokens(b))
		}
	}
}

func randomText(r *rand.Rand, alphabet []rune) string {
	out := make([]rune, r.IntN(40))
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(out)
}

// smallBook is a book of two chapters of two scenes, for the unit tests.
func smallBook() (*content.Manuscript, *content.Bible) {
	ms := &content.Manuscript{Story: &content.Story{Title: "Salt", ContentType: "novel"}, Chapters: []content.ManuscriptChapter{
		{ID: "c1", Number: 1, Title: "Harbour", Scenes: []content.ManuscriptScene{
			{ID: "s11", Number: 1, POVCharacterID: "mara", Text: "Mara came down to the quay.", Card: content.SceneCard{Goal: "Mara meets Tomas."}},
			{ID: "s12", Number: 2, Text: "Tomas sold the boat.", Card: content.SceneCard{Goal: "Tomas sells the boat.", TargetWords: 900}},
		}},
		{ID: "c2", Number: 2, Title: "Storm", Scenes: []content.ManuscriptScene{
			{ID: "s21", Number: 1, Text: "The storm broke over the Keep.", Card: content.SceneCard{Beats: []string{"Mara waits at the Keep."}}},
			{ID: "s22", Number: 2, Text: "Morning came grey.", Card: content.SceneCard{Goal: "Tomas returns."}},
		}},
	}}
	one, two := 1, 2
	mara, keep := "mara", "keep"
	bible := &content.Bible{
		Characters: []content.Character{
			{ID: "mara", Name: "Mara Quill", Role: "protagonist", Aliases: []string{"Mara"}, Description: "A mapmaker.",
				Traits: json.RawMessage(`{"eyes":"grey","secret":{"value":"she is the heir","reveal_after":2}}`)},
			{ID: "tomas", Name: "Tomas Reyes", Role: "supporting", Aliases: []string{"Tomas"}, Description: "A smuggler."},
		},
		Relationships: []content.Relationship{{FromCharacterID: "tomas", ToCharacterID: "mara", Kind: "debtor", Description: "owes her a boat"}},
		Entries:       []content.Entry{{ID: "keep", Kind: "location", Name: "Blackwater Keep", Aliases: []string{"the Keep"}, Description: "A fort."}},
		Facts: []content.Fact{
			{ID: "f1", CharacterID: &mara, Fact: "Mara cannot swim."},
			{ID: "f2", EntryID: &keep, Fact: "The Keep has fallen.", FromChapter: &two},
			{ID: "f3", Fact: "Magic is gone from the world."},
			{ID: "f4", Fact: "The king is dead.", FromChapter: &two},
			{ID: "f5", Fact: "The bridge stands.", UntilChapter: &one},
		},
	}
	return ms, bible
}

func TestValidate(t *testing.T) {
	ms, _ := smallBook()
	tests := []struct {
		name  string
		in    Input
		field string // "" for valid
	}{
		{"unknown mode", Input{Mode: "poem"}, "mode"},
		{"continue needs nothing", Input{Mode: ModeContinue}, ""},
		{"rewrite needs a selection", Input{Mode: ModeRewrite, Instruction: "darker"}, "selection"},
		{"rewrite needs an instruction", Input{Mode: ModeRewrite, Selection: "Some text."}, "instruction"},
		{"rewrite", Input{Mode: ModeRewrite, Selection: "Some text.", Instruction: "darker"}, ""},
		{"blank selection", Input{Mode: ModeExpand, Selection: "  \n"}, "selection"},
		{"expand", Input{Mode: ModeExpand, Selection: "Some text."}, ""},
		{"shorten", Input{Mode: ModeShorten, Selection: "Some text."}, ""},
		{"describe needs an instruction", Input{Mode: ModeDescribe}, "instruction"},
		{"describe a selection", Input{Mode: ModeDescribe, Selection: "the Keep"}, ""},
		{"brainstorm needs an instruction", Input{Mode: ModeBrainstorm, Instruction: " "}, "instruction"},
		{"outline needs a chapter", Input{Mode: ModeOutline}, "chapter_id"},
		{"outline", Input{Mode: ModeOutline, Chapter: 1}, ""},
		{"summarize needs a chapter", Input{Mode: ModeSummarize}, "chapter_id"},
		{"scene needs a scene", Input{Mode: ModeScene, Chapter: 1}, "scene_id"},
		{"scene", Input{Mode: ModeScene, Chapter: 1, Scene: 2, Manuscript: ms}, ""},
		{"a scene without its chapter", Input{Mode: ModeContinue, Scene: 1}, "scene_id"},
		{"negative chapter", Input{Mode: ModeContinue, Chapter: -1}, "chapter_id"},
		{"budget too small", Input{Mode: ModeContinue, Budget: MinBudget - 1}, "budget"},
		{"budget too large", Input{Mode: ModeContinue, Budget: MaxBudget + 1}, "budget"},
		{"negative budget", Input{Mode: ModeContinue, Budget: -5}, "budget"},
		{"smallest budget", Input{Mode: ModeContinue, Budget: MinBudget}, ""},
		{"largest budget", Input{Mode: ModeContinue, Budget: MaxBudget}, ""},
		{"negative recent words", Input{Mode: ModeContinue, RecentWords: -1}, "recent_words"},
		{"negative words", Input{Mode: ModeContinue, Words: -1}, "words"},
		{"characters", Input{Mode: ModeCharacters}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Field != tt.field {
				t.Fatalf("Validate() = %#v, want an invalid %s", err, tt.field)
			}
		})
	}
}

func TestValidateDefaults(t *testing.T) {
	ms, _ := smallBook()
	sel := strings.Repeat("word ", 120)
	tests := []struct {
		in    Input
		words int
	}{
		{Input{Mode: ModeContinue}, 400},
		{Input{Mode: ModeScene, Chapter: 1, Scene: 1, Manuscript: ms}, 1200},
		{Input{Mode: ModeScene, Chapter: 1, Scene: 2, Manuscript: ms}, 900}, // the card's target
		{Input{Mode: ModeRewrite, Selection: sel, Instruction: "x"}, 120},
		{Input{Mode: ModeRewrite, Selection: "short", Instruction: "x"}, 50},
		{Input{Mode: ModeExpand, Selection: sel}, 240},
		{Input{Mode: ModeShorten, Selection: sel}, 60},
		{Input{Mode: ModeContinue, Words: 77}, 77},
	}
	for _, tt := range tests {
		in := tt.in
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.Words != tt.words || in.Budget != DefaultBudget || in.RecentWords != DefaultRecentWords {
			t.Errorf("%s: words %d, budget %d, recent %d; want %d, %d, %d", in.Mode, in.Words, in.Budget, in.RecentWords,
				tt.words, DefaultBudget, DefaultRecentWords)
		}
	}
}

func TestAssembleErrors(t *testing.T) {
	ms, bible := smallBook()
	tests := []struct {
		name  string
		in    Input
		field string
	}{
		{"no such chapter", Input{Mode: ModeOutline, Chapter: 9}, "chapter_id"},
		{"no such scene", Input{Mode: ModeScene, Chapter: 1, Scene: 9}, "scene_id"},
		{"selection over the budget", Input{Mode: ModeExpand, Selection: strings.Repeat("word ", 3000), Budget: MinBudget}, "selection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Manuscript, tt.in.Bible = ms, bible
			_, err := Assemble(tt.in)
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Field != tt.field {
				t.Fatalf("Assemble() = %#v, want an invalid %s", err, tt.field)
			}
		})
	}
	if _, err := Assemble(Input{Mode: ModeContinue}); err == nil {
		t.Error("Assemble without a manuscript succeeded")
	}
}

// TestAssembleCacheBlocks checks the layout that makes prompt caching hit:
// every system block is a breakpoint; the book block is the same for every
// request on the book, the chapter block the same for every request on a
// chapter (an outline too), the plan block the same for every request that
// shows the scene list, and each scene's draft block the same in every prompt
// that holds it.
func TestAssembleCacheBlocks(t *testing.T) {
	f := newSynthBook(evalSpec)
	for _, budget := range []int{8000, 16000, 24000} {
		var book string
		chapters, plans, drafts := map[int]string{}, map[int]string{}, map[string]string{}
		for _, sc := range f.scenes {
			for _, mode := range []string{ModeScene, ModeContinue, ModeOutline} {
				in := f.input(sc, budget)
				in.Mode = mode
				if mode == ModeOutline {
					if sc.scene != 1 {
						continue
					}
					in.Scene = 0
				}
				p, err := Assemble(in)
				if err != nil {
					t.Fatal(err)
				}
				sys, kinds := p.Request.System, p.Manifest.Blocks
				if len(sys) != len(kinds) || len(sys) == 0 || kinds[0] != "book" {
					t.Fatalf("%s %s: system blocks %d named %q", sc.id, mode, len(sys), kinds)
				}
				if len(sys) > 3 && mode == ModeOutline {
					t.Errorf("%s outline: %d system blocks, want no draft", sc.id, len(sys))
				}
				for i, b := range sys {
					if !b.Cache || b.Text == "" {
						t.Fatalf("%s %s: system block %d (%s) is empty or not a breakpoint", sc.id, mode, i, kinds[i])
					}
					switch kinds[i] {
					case "book":
						if book == "" {
							book = b.Text
						}
						if b.Text != book {
							t.Fatalf("budget %d, %s %s: the book block differs from the first scene's", budget, sc.id, mode)
						}
					case "chapter":
						if c, ok := chapters[sc.chapter]; ok && c != b.Text {
							t.Fatalf("budget %d, %s %s: the chapter block differs from its chapter's first request's", budget, sc.id, mode)
						}
						chapters[sc.chapter] = b.Text
					case "plan":
						if mode == ModeOutline {
							break
						}
						if c, ok := plans[sc.chapter]; ok && c != b.Text {
							t.Fatalf("budget %d, %s %s: the plan block differs from its chapter's first scene's", budget, sc.id, mode)
						}
						plans[sc.chapter] = b.Text
					case "draft":
						head, _, _ := strings.Cut(b.Text, "\n")
						if d, ok := drafts[head]; ok && d != b.Text {
							t.Fatalf("budget %d, %s %s: the draft block %q differs from an earlier prompt's", budget, sc.id, mode, head)
						}
						drafts[head] = b.Text
					default:
						t.Fatalf("%s %s: unknown block %q", sc.id, mode, kinds[i])
					}
				}
			}
		}
		if chapters[2] == chapters[3] {
			t.Errorf("chapters 2 and 3 have the same chapter block")
		}
		if len(drafts) < len(f.scenes)/2 {
			t.Errorf("budget %d: %d distinct draft blocks over %d scenes", budget, len(drafts), len(f.scenes))
		}
	}
}

// longBook is smallBook with scenes of a few hundred words, long enough for
// the prompt to refer to them rather than repeat them.
func longBook() (*content.Manuscript, *content.Bible) {
	ms, bible := smallBook()
	for ci := range ms.Chapters {
		for si := range ms.Chapters[ci].Scenes {
			sc := &ms.Chapters[ci].Scenes[si]
			var paras []string
			for i := range 6 {
				paras = append(paras, fmt.Sprintf("%s Paragraph %d of scene %s: the tide came in over the stones and nobody spoke for a long moment, "+
					"while the lamps along the quay were lit one by one and the gulls argued on the roofs.", sc.Text, i+1, sc.ID))
			}
			sc.Text = strings.Join(paras, "\n\n")
		}
	}
	return ms, bible
}

// TestAssembleVerbatimText checks the verbatim text in the cached blocks: the
// previous chapter in the chapter block in place of its summary, the current
// chapter's scenes before the insertion point in draft blocks, and the request
// repeating only the last lines; a selection or text to summarize the draft
// holds is referred to, not repeated.
func TestAssembleVerbatimText(t *testing.T) {
	ms, bible := longBook()
	sums := map[string]string{"c1": "Mara met Tomas, who sold his boat.", "s21": "The storm broke."}
	assemble := func(in Input) *Prompt {
		t.Helper()
		in.Manuscript, in.Bible, in.Summaries = ms, bible, sums
		p, err := Assemble(in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	block := func(p *Prompt, kind string) []string {
		var out []string
		for i, k := range p.Manifest.Blocks {
			if k == kind {
				out = append(out, p.Request.System[i].Text)
			}
		}
		return out
	}
	s11, s12, s21, s22 := ms.Chapters[0].Scenes[0].Text, ms.Chapters[0].Scenes[1].Text, ms.Chapters[1].Scenes[0].Text, ms.Chapters[1].Scenes[1].Text
	last := func(s string) string { return s[strings.LastIndex(s, "\n\n")+2:] }

	p := assemble(Input{Mode: ModeScene, Chapter: 2, Scene: 2})
	chapter, drafts, request := block(p, "chapter"), block(p, "draft"), p.Request.Messages[0].Text
	if len(chapter) != 1 || !strings.Contains(chapter[0], s11) || !strings.Contains(chapter[0], s12) ||
		strings.Contains(chapter[0], "Mara met Tomas") {
		t.Errorf("the chapter block does not hold chapter 1 verbatim instead of its summary:\n%s", chapter)
	}
	if len(drafts) != 1 || !strings.Contains(drafts[0], s21) || strings.Contains(evalText(p), s22) {
		t.Errorf("the draft blocks are not scene 1 of chapter 2: %q", drafts)
	}
	if strings.Contains(request, s21) || !strings.Contains(request, strings.TrimSpace(last(s21))) ||
		strings.Contains(request, "## Earlier in this chapter") {
		t.Errorf("the request does not repeat just the end of scene 1:\n%s", request)
	}

	// A small budget holds only the end of the previous chapter, whole scenes,
	// and keeps its summary.
	p = assemble(Input{Mode: ModeScene, Chapter: 2, Scene: 2, Budget: MinBudget})
	if chapter := block(p, "chapter"); len(chapter) != 1 || strings.Contains(chapter[0], s11) || !strings.Contains(chapter[0], s12) ||
		!strings.Contains(chapter[0], "Mara met Tomas") || !strings.Contains(chapter[0], "## The end of the previous chapter") {
		t.Errorf("at %d tokens the chapter block is not the end of chapter 1 and its summary:\n%s", MinBudget, chapter)
	}

	// The facts of a scene, then the check of a chapter, as the pipeline asks
	// them: the passage is the draft's end, referred to.
	for _, tt := range []struct {
		name string
		in   Input
		want []string
	}{
		{"facts", Input{Mode: ModeBrainstorm, Chapter: 2, Selection: s22, Instruction: "List the facts."}, []string{s22}},
		{"check", Input{Mode: ModeBrainstorm, Chapter: 2, Selection: s21 + "\n\n" + s22, Instruction: "Check it."}, []string{s21, s22}},
		{"summary", Input{Mode: ModeSummarize, Chapter: 2, Scene: 2}, []string{s22}},
		{"chapter summary", Input{Mode: ModeSummarize, Chapter: 2}, []string{s21, s22}},
	} {
		p := assemble(tt.in)
		drafts, request := block(p, "draft"), p.Request.Messages[0].Text
		if !strings.Contains(request, "given verbatim above") {
			t.Errorf("%s: the request does not refer to the text:\n%s", tt.name, request)
		}
		for _, want := range tt.want {
			if strings.Contains(request, want) || !slices.ContainsFunc(drafts, func(d string) bool { return strings.Contains(d, want) }) {
				t.Errorf("%s: the text is in the request or in no draft block", tt.name)
			}
		}
	}
	// A short selection is repeated.
	p = assemble(Input{Mode: ModeRewrite, Chapter: 2, Scene: 1, Selection: "The storm broke over the Keep.", Instruction: "Louder."})
	if !strings.Contains(p.Request.Messages[0].Text, "## Passage\nThe storm broke over the Keep.") {
		t.Errorf("a short selection is not repeated:\n%s", p.Request.Messages[0].Text)
	}
}

func TestAssembleConcurrentAndRepeatable(t *testing.T) {
	f := newSynthBook(evalSpec)
	in := f.input(f.scenes[70], 16000)
	want, err := Assemble(in)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*Prompt, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = Assemble(in) })
	}
	wg.Wait()
	for i, p := range got {
		if !reflect.DeepEqual(p, want) {
			t.Errorf("assembly %d differs from the first", i)
		}
	}
}

// TestAssembleTimeline checks what a prompt may know at each point: facts and
// traits only once in force, world facts in the right block, relationships and
// the main cast.
func TestAssembleTimeline(t *testing.T) {
	ms, bible := smallBook()
	at := func(chapter, scene int) *Prompt {
		t.Helper()
		p, err := Assemble(Input{Mode: ModeScene, Manuscript: ms, Bible: bible, Chapter: chapter, Scene: scene})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1, p2 := at(1, 1), at(2, 1)
	book1, book2 := p1.Request.System[0].Text, p2.Request.System[0].Text
	if book1 != book2 {
		t.Errorf("the book block changed between chapters:\n%s\n---\n%s", book1, book2)
	}
	for _, want := range []string{"Magic is gone from the world.", "### Mara Quill (character, protagonist)", `Details: {"eyes":"grey"}`,
		"Tomas Reyes → Mara Quill: debtor (owes her a boat)"} {
		if !strings.Contains(book1, want) {
			t.Errorf("the book block lacks %q:\n%s", want, book1)
		}
	}
	for _, later := range []string{"The king is dead.", "The Keep has fallen.", "she is the heir", "storm broke", "Tomas sold"} {
		if strings.Contains(evalText(p1), later) {
			t.Errorf("chapter 1, scene 1 knows %q", later)
		}
	}
	text2 := evalText(p2)
	for _, want := range []string{"The king is dead.", "The Keep has fallen.", "secret: she is the heir", "Mara cannot swim.",
		"Tomas sold the boat."} {
		if !strings.Contains(text2, want) {
			t.Errorf("chapter 2, scene 1 lacks %q:\n%s", want, text2)
		}
	}
	if !strings.Contains(p2.Request.System[1].Text, "## The world as of chapter 2\n\n- The king is dead.") {
		t.Errorf("the chapter block lacks the world as of chapter 2:\n%s", p2.Request.System[1].Text)
	}
	if strings.Contains(book2, "she is the heir") {
		t.Error("the book block holds a trait revealed in chapter 2")
	}
	if !strings.Contains(evalText(p1), "The bridge stands.") || strings.Contains(text2, "The bridge stands.") {
		t.Error("a world fact until chapter 1 is not exactly in chapter 1")
	}
	// Continuing the story as a whole: as of its last chapter.
	end, err := Assemble(Input{Mode: ModeContinue, Manuscript: ms, Bible: bible})
	if err != nil {
		t.Fatal(err)
	}
	if text := evalText(end); strings.Contains(text, "The bridge stands.") || !strings.Contains(text, "The king is dead.") ||
		!strings.Contains(text, "Morning came grey.") {
		t.Errorf("continuing the story does not stand at its end:\n%s", text)
	}
	// Tomas is one relationship away from the point of view.
	var reasons []string
	for _, part := range p1.Manifest.Parts {
		if part.Section == "codex" {
			reasons = append(reasons, part.ID+": "+part.Reason)
		}
	}
	want := []string{"mara: point-of-view character", "tomas: named in the scene card"}
	if !reflect.DeepEqual(reasons, want) {
		t.Errorf("codex of chapter 1, scene 1 = %q, want %q", reasons, want)
	}
}

// TestAssembleMainCastLeftOut checks that a main character whose sheet does not
// fit the book block still gets a whole codex card, not a pointer to nothing.
func TestAssembleMainCastLeftOut(t *testing.T) {
	ms, bible := smallBook()
	// About 2,000 tokens: over the main cast's share of 8,000, within the codex's.
	bible.Characters[0].Description = strings.Repeat("A long description of the mapmaker. ", 250)
	p, err := Assemble(Input{Mode: ModeScene, Manuscript: ms, Bible: bible, Chapter: 1, Scene: 1, Budget: 8000})
	if err != nil {
		t.Fatal(err)
	}
	text := evalText(p)
	if strings.Contains(text, "(see the main cast)") || strings.Contains(p.Request.System[0].Text, "### Mara Quill") {
		t.Fatalf("the prompt points to a main cast it left out:\n%s", text)
	}
	if !strings.Contains(p.Request.Messages[0].Text, "### Mara Quill (character, protagonist)\nAlso called: Mara\nA long description") {
		t.Errorf("the codex card lacks Mara's description:\n%s", p.Request.Messages[0].Text)
	}
}

// TestAssembleBudgets checks, over every mode and a range of budgets, that the
// prompt stays within its budget and counts its tokens right, and that
// leaving parts out drops them whole.
func TestAssembleBudgets(t *testing.T) {
	f := newSynthBook(evalSpec)
	sc := f.scenes[50]
	for _, mode := range Modes {
		for _, budget := range []int{MinBudget, 3000, 5000, 9000, 30000} {
			in := f.input(sc, budget)
			in.Mode, in.Instruction, in.Selection = mode, "Make it about Mara's debt to the Guild.", ""
			if modeSpecs[mode].needsSelection {
				in.Selection = "Mara looked across the Quay. The tide was coming in, grey and patient."
			}
			p, err := Assemble(in)
			if err != nil {
				t.Fatalf("%s at %d: %v", mode, budget, err)
			}
			m := p.Manifest
			if m.Tokens > budget || evalTokens(p) != m.Tokens {
				t.Errorf("%s at %d: manifest %d tokens, request %d", mode, budget, m.Tokens, evalTokens(p))
			}
			request := p.Request.Messages[0].Text
			for _, part := range m.Dropped {
				if part.Section == "codex" && strings.Contains(request, "### "+part.Name+" (") {
					t.Errorf("%s at %d: %s was dropped but is in the prompt", mode, budget, part.Name)
				}
			}
		}
	}
}

// TestAssembleModesSeeNothingLater checks each mode's view of the manuscript:
// no text past its insertion point, no fact not yet in force.
func TestAssembleModesSeeNothingLater(t *testing.T) {
	f := newSynthBook(evalSpec)
	index := func(ch, sn int) int { return (ch-1)*3 + sn - 1 }
	tests := []struct {
		mode    string
		ch, sn  int
		through int // index of the last scene whose prose may show, -1 for none
	}{
		{ModeContinue, 12, 2, index(12, 2)},
		{ModeScene, 12, 2, index(12, 1)},
		{ModeDescribe, 12, 2, index(12, 2)},
		{ModeBrainstorm, 12, 2, index(12, 1)},
		{ModeOutline, 12, 0, index(11, 3)},
		{ModeSummarize, 12, 0, index(12, 3)},
		{ModeSummarize, 12, 2, index(12, 2)},
		{ModeContinue, 1, 1, index(1, 1)},
		{ModeScene, 1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d.%d", tt.mode, tt.ch, tt.sn), func(t *testing.T) {
			in := Input{Mode: tt.mode, Manuscript: f.ms, Bible: f.bible, Summaries: f.summaries, Chapter: tt.ch, Scene: tt.sn,
				Instruction: "Ideas for Mara.", Budget: 30000}
			p, err := Assemble(in)
			if err != nil {
				t.Fatal(err)
			}
			text := evalText(p)
			for i, sc := range f.scenes {
				if shown := strings.Contains(text, sc.marker); shown && i > tt.through {
					t.Errorf("the prompt holds the prose of %s", sc.id)
				}
			}
			recent := tt.mode == ModeContinue || tt.mode == ModeDescribe
			if i := tt.through; i >= 0 && recent && !strings.Contains(text, f.scenes[i].marker) {
				t.Errorf("the prompt lacks the text just before its point, %s", f.scenes[i].id)
			}
			for _, ft := range f.facts {
				if ft.from > tt.ch && strings.Contains(text, ft.text) {
					t.Errorf("fact %s from chapter %d leaked", ft.id, ft.from)
				}
			}
			if strings.Contains(text, fmt.Sprintf("zc%02d", tt.ch)) && tt.mode != ModeSummarize {
				t.Errorf("the prompt holds the summary of its own chapter")
			}
		})
	}
}

func TestAssembleSectionOrder(t *testing.T) {
	f := newSynthBook(evalSpec)
	p, err := Assemble(f.input(f.scenes[40], 24000))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, part := range p.Manifest.Parts {
		if k := part.Block + "/" + part.Section; len(got) == 0 || got[len(got)-1] != k {
			got = append(got, k)
		}
	}
	want := []string{"book/rules", "book/story", "book/style", "book/world", "book/cast", "chapter/world",
		"chapter/summaries", "chapter/recent", "chapter/plan", "chapter/passages", "chapter/recent", "request/codex",
		"request/recent", "request/card", "request/instruction"}
	if !slices.Equal(got, want) {
		t.Errorf("sections = %q, want %q", got, want)
	}
}
