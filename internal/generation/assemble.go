package generation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
)

// Defaults of an Input's tuning fields left at zero.
const (
	DefaultBudget      = 16000
	MinBudget          = 2000
	MaxBudget          = 180000
	DefaultRecentWords = 1500
	passageWords       = 180
	maxPassages        = 8
	// scanWords is how much of the text just before the insertion point is
	// searched for names.
	scanWords = 600
	// stableShare is the most of the budget the cached book and chapter blocks
	// take together, so that the request's own parts (the cast present first)
	// always have room.
	stableShare = 0.5
)

// Section shares of the budget: no section may take more than its share in a
// block, so a long recap cannot crowd out the cast, nor the cast the recent
// text. (The recap of earlier chapters and that of the current chapter's
// earlier scenes sit in different blocks and have a share each.)
var sectionShare = map[string]float64{
	"story":     0.10,
	"style":     0.10,
	"world":     0.10,
	"cast":      0.15,
	"codex":     0.30,
	"recent":    0.25,
	"plan":      0.10,
	"summaries": 0.20,
	"passages":  0.15,
}

// reasonRelated starts the reason of a codex entry included for being one
// relationship away from an entity the request involves.
const reasonRelated = "one relationship away: "

// Input is everything a prompt is assembled from. The assembler is a pure
// function of it: identical inputs give byte-identical prompts.
type Input struct {
	Mode       string
	Manuscript *content.Manuscript
	// Bible is the story bible; facts not in force at the target chapter are
	// left out whatever Bible holds.
	Bible *content.Bible
	// Summaries of chapters and scenes by id; missing ones fall back to the
	// chapter synopsis or an extract of the text.
	Summaries map[string]string
	// Chapter and Scene are the target's numbers: 0 for none (a story-level or
	// chapter-level request).
	Chapter int
	Scene   int
	// Instruction is what the writer asks, in their words.
	Instruction string
	// Selection is the passage a rewrite, expansion or shortening works on.
	Selection string
	// Pinned names entities (characters or world entries) always included.
	Pinned []string
	// Budget caps the prompt's tokens; RecentWords caps the verbatim recent text;
	// Words is the length of the answer.
	Budget      int
	RecentWords int
	Words       int
}

// Prompt is an assembled request with its manifest.
type Prompt struct {
	Request  ai.Request
	Manifest Manifest
}

// Part is one piece of a prompt, or one left out, in a manifest.
type Part struct {
	Section string `json:"section"`
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Tokens  int    `json:"tokens"`
	Reason  string `json:"reason"`
	// Block is where the part sits: "book" and "chapter" are cached prefixes,
	// "request" is the uncached tail.
	Block string `json:"block,omitempty"`
}

// Manifest says what a prompt holds and why: every part with its tokens and
// the reason it was included, and every candidate left out for the budget.
type Manifest struct {
	Mode        string `json:"mode"`
	Budget      int    `json:"budget"`
	Tokens      int    `json:"tokens"`
	Chapter     int    `json:"chapter"`
	Scene       int    `json:"scene"`
	Hash        string `json:"hash"`
	Parts       []Part `json:"parts"`
	Dropped     []Part `json:"dropped"`
	BlockTokens struct {
		Book    int `json:"book"`
		Chapter int `json:"chapter"`
		Request int `json:"request"`
	} `json:"block_tokens"`
}

// item is a candidate part with its rendered text.
type item struct {
	Part
	text     string
	priority int
	order    int // position within its block
}

func (in *Input) targetName() string {
	switch {
	case in.Scene > 0:
		return fmt.Sprintf("scene %d of chapter %d", in.Scene, in.Chapter)
	case in.Chapter > 0:
		return fmt.Sprintf("chapter %d", in.Chapter)
	}
	return "the story"
}

// Validate checks an Input and fills defaults.
func (in *Input) Validate() error {
	if !validMode(in.Mode) {
		return errs.Field("mode", "mode %q is not one of %s", in.Mode, strings.Join(Modes, ", "))
	}
	spec := modeSpecs[in.Mode]
	hasSelection := strings.TrimSpace(in.Selection) != ""
	if spec.needsSelection && !hasSelection {
		return errs.Field("selection", "mode %s works on a passage: send it as selection", in.Mode)
	}
	// A selection stands in for the instruction of a mode that does not itself
	// work on one (describe the place in this passage), never for the
	// instruction of one that does (rewrite this passage: how?).
	if spec.needsInstruction && strings.TrimSpace(in.Instruction) == "" && (spec.needsSelection || !hasSelection) {
		return errs.Field("instruction", "mode %s needs an instruction saying what you want", in.Mode)
	}
	if in.Chapter < 0 {
		return errs.Field("chapter_id", "chapter must be a chapter number (1 or more), or 0 for none")
	}
	if in.Scene < 0 || (in.Scene > 0 && in.Chapter == 0) {
		return errs.Field("scene_id", "scene must be a scene number (1 or more) of a chapter, or 0 for none")
	}
	if spec.needsChapter && in.Chapter == 0 {
		return errs.Field("chapter_id", "mode %s works on a chapter: send chapter_id or scene_id", in.Mode)
	}
	if spec.needsScene && in.Scene == 0 {
		return errs.Field("scene_id", "mode %s writes a scene from its card: send scene_id", in.Mode)
	}
	if in.Budget == 0 {
		in.Budget = DefaultBudget
	}
	if in.Budget < MinBudget || in.Budget > MaxBudget {
		return errs.Field("budget", "budget must be between %d and %d tokens", MinBudget, MaxBudget)
	}
	if in.RecentWords < 0 {
		return errs.Field("recent_words", "recent_words must not be negative")
	}
	if in.Words < 0 {
		return errs.Field("words", "words must not be negative")
	}
	if in.RecentWords == 0 {
		in.RecentWords = DefaultRecentWords
	}
	if in.Words == 0 {
		in.Words = spec.words
		if in.Mode == ModeScene {
			if sc := in.scene(); sc != nil && sc.Card.TargetWords > 0 {
				in.Words = min(sc.Card.TargetWords, 6000)
			}
		}
		sel := len(strings.Fields(in.Selection))
		switch in.Mode {
		case ModeRewrite:
			in.Words = max(sel, 50)
		case ModeExpand:
			in.Words = max(sel*2, 100)
		case ModeShorten:
			in.Words = max(sel/2, 30)
		}
	}
	return nil
}

func (in *Input) chapter() *content.ManuscriptChapter {
	if in.Chapter < 1 || in.Manuscript == nil {
		return nil
	}
	for i := range in.Manuscript.Chapters {
		if in.Manuscript.Chapters[i].Number == in.Chapter {
			return &in.Manuscript.Chapters[i]
		}
	}
	return nil
}

func (in *Input) scene() *content.ManuscriptScene {
	c := in.chapter()
	if c == nil || in.Scene < 1 {
		return nil
	}
	for i := range c.Scenes {
		if c.Scenes[i].Number == in.Scene {
			return &c.Scenes[i]
		}
	}
	return nil
}

// Assemble builds the prompt for in. It never cuts an entry in the middle: a
// part that does not fit is left out whole and listed in the manifest's
// Dropped.
func Assemble(in Input) (*Prompt, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.Manuscript == nil || in.Manuscript.Story == nil {
		return nil, fmt.Errorf("generation: assemble: no manuscript")
	}
	if in.Chapter > 0 && in.chapter() == nil {
		return nil, errs.Field("chapter_id", "the story has no chapter %d", in.Chapter)
	}
	if in.Scene > 0 && in.scene() == nil {
		return nil, errs.Field("scene_id", "chapter %d has no scene %d", in.Chapter, in.Scene)
	}
	a := newAssembly(&in)
	a.collect()
	if err := a.fill(); err != nil {
		return nil, err
	}
	return a.render(), nil
}

// assembly is one run of Assemble.
type assembly struct {
	in       *Input
	story    *content.Story
	asOf     int
	entities map[string]*entity
	order    []string // entity ids in bible order
	match    *matcher
	before   []segment // text before the insertion point, oldest first
	// world holds the facts in force that are about no entity.
	world    []bibleFact
	items    []*item
	required []*item
	chosen   map[*item]bool
	// mainCast holds the main cast's parts of the book block, by entity id.
	mainCast map[string]*item
}

// segment is a chapter's or scene's text.
type segment struct {
	where string
	id    string
	text  string
}

func newAssembly(in *Input) *assembly {
	a := &assembly{in: in, story: in.Manuscript.Story, entities: map[string]*entity{}, match: newMatcher(),
		chosen: map[*item]bool{}, mainCast: map[string]*item{}}
	a.asOf = in.Chapter
	// Continuing the story as a whole writes after its last chapter: the bible
	// as of then, without the facts that have stopped holding.
	if n := len(in.Manuscript.Chapters); in.Chapter == 0 && in.Mode == ModeContinue && n > 0 {
		a.asOf = in.Manuscript.Chapters[n-1].Number
	}
	a.loadBible()
	a.before = a.textBefore()
	return a
}

// textBefore lists the text that precedes the insertion point: what the model may
// read without learning anything the story has not reached yet.
func (a *assembly) textBefore() []segment {
	var out []segment
	in := a.in
	for _, c := range in.Manuscript.Chapters {
		if in.Chapter > 0 && c.Number > in.Chapter {
			break
		}
		current := c.Number == in.Chapter
		if current && (in.Mode == ModeOutline || (in.Mode == ModeSummarize && in.Scene == 0)) {
			break
		}
		if strings.TrimSpace(c.Text) != "" {
			out = append(out, segment{where: fmt.Sprintf("chapter %d", c.Number), id: c.ID, text: c.Text})
		}
		for _, sc := range c.Scenes {
			if current && in.Scene > 0 {
				if sc.Number > in.Scene {
					break
				}
				if sc.Number == in.Scene && in.Mode != ModeContinue && in.Mode != ModeRewrite &&
					in.Mode != ModeExpand && in.Mode != ModeShorten && in.Mode != ModeDescribe {
					break
				}
			}
			if strings.TrimSpace(sc.Text) != "" {
				out = append(out, segment{where: fmt.Sprintf("chapter %d, scene %d", c.Number, sc.Number), id: sc.ID, text: sc.Text})
			}
		}
	}
	return out
}

// collect makes every candidate part.
func (a *assembly) collect() {
	in := a.in
	st := a.story
	// Required: the rules and the request.
	a.require("rules", "", "", "always", "book", a.rules())
	// The book block, most stable first.
	a.add("story", "", st.Title, "always", "book", 1, a.storyText())
	if strings.TrimSpace(st.StyleGuide) != "" {
		a.add("style", "", "style guide", "always", "book", 2, "## Style guide\n"+st.StyleGuide)
	}
	for _, id := range a.order {
		e := a.entities[id]
		if e.role == "protagonist" || e.role == "antagonist" {
			a.mainCast[id] = a.add("cast", id, e.name, "main cast ("+e.role+")", "book", 8, e.core())
		}
	}
	// World facts: those true for the whole story belong to the book block,
	// the others to the chapter's.
	for i, f := range a.world {
		block, prio, reason := "chapter", 7, "world fact in force"
		if f.always {
			block, prio, reason = "book", 2, "world fact"
		}
		it := a.add("world", f.id, "world fact", reason, block, prio, "- "+f.text)
		it.order = i
	}
	// The chapter block: what happened so far, and the current chapter's plan.
	a.collectSummaries()
	if c := in.chapter(); c != nil {
		if plan := chapterPlan(c, in.Mode != ModeOutline); plan != "" {
			a.add("plan", c.ID, fmt.Sprintf("chapter %d plan", c.Number), "the current chapter", "chapter", 7, plan)
		}
	}
	// The request block.
	a.collectCodex()
	a.collectRecent()
	a.collectPassages()
	if sc := in.scene(); sc != nil && in.Mode == ModeScene {
		a.require("card", sc.ID, sceneTitle(sc), "the scene to write", "request", sceneCard(in.Chapter, sc, a.nameOf))
	}
	if in.Mode == ModeSummarize {
		text := a.targetText()
		a.require("target", "", a.in.targetName(), "the text to summarize", "request", "## Text to summarize\n"+text)
	}
	if in.Selection != "" {
		a.require("selection", "", "selection", "the passage to work on", "request", "## Passage\n"+in.Selection)
	}
	a.require("instruction", "", in.Mode, "the request", "request", "## Request\n"+instruction(in.Mode, in, in.Words))
}

func (a *assembly) require(section, id, name, reason, block, text string) {
	it := &item{Part: Part{Section: section, ID: id, Name: name, Reason: reason, Block: block, Tokens: Tokens(text)}, text: text}
	a.required = append(a.required, it)
}

func (a *assembly) add(section, id, name, reason, block string, priority int, text string) *item {
	it := &item{Part: Part{Section: section, ID: id, Name: name, Reason: reason, Block: block, Tokens: Tokens(text)},
		text: text, priority: priority, order: len(a.items)}
	a.items = append(a.items, it)
	return it
}

func (a *assembly) rules() string {
	var b strings.Builder
	kind := strings.ReplaceAll(a.story.ContentType, "_", " ")
	fmt.Fprintf(&b, "You are the co-writer of a %s. You write in the author's voice and keep to the story bible: "+
		"names, facts, relationships and the timeline as of the current point in the story. "+
		"Never contradict a fact given here, and never reveal what the story has not reached yet.\n", kind)
	b.WriteString(formatRules(a.story.ContentType))
	return b.String()
}

func (a *assembly) storyText() string {
	st := a.story
	var b strings.Builder
	fmt.Fprintf(&b, "## The story\nTitle: %s\n", st.Title)
	if st.Subtitle != "" {
		fmt.Fprintf(&b, "Subtitle: %s\n", st.Subtitle)
	}
	fmt.Fprintf(&b, "Kind: %s\n", strings.ReplaceAll(st.ContentType, "_", " "))
	if st.Genre != "" {
		fmt.Fprintf(&b, "Genre: %s\n", st.Genre)
	}
	if st.Description != "" {
		fmt.Fprintf(&b, "Premise: %s\n", st.Description)
	}
	if st.Synopsis != "" {
		fmt.Fprintf(&b, "Synopsis: %s\n", st.Synopsis)
	}
	return strings.TrimRight(b.String(), "\n")
}

// collectSummaries adds the recap: a summary of each earlier chapter, and of each
// earlier scene of the current chapter. Recent ones come first in priority.
func (a *assembly) collectSummaries() {
	in := a.in
	for _, c := range in.Manuscript.Chapters {
		if in.Chapter > 0 && c.Number >= in.Chapter {
			break
		}
		text, reason := a.summaryOf(c.ID, c.Synopsis, func() string { return chapterFullText(&c) })
		if text == "" {
			continue
		}
		// Priority falls with distance: the chapter just before matters most.
		prio := 10
		if in.Chapter > 0 && c.Number < in.Chapter-3 {
			prio = 14
		}
		it := a.add("summaries", c.ID, fmt.Sprintf("chapter %d", c.Number), reason, "chapter", prio,
			fmt.Sprintf("Chapter %d%s: %s", c.Number, titleSuffix(c.Title), text))
		it.order = c.Number
	}
	c := in.chapter()
	if c == nil || in.Scene == 0 {
		return
	}
	for _, sc := range c.Scenes {
		if sc.Number >= in.Scene {
			break
		}
		text, reason := a.summaryOf(sc.ID, "", func() string { return sc.Text })
		if text == "" {
			continue
		}
		a.add("summaries", sc.ID, fmt.Sprintf("chapter %d, scene %d", c.Number, sc.Number), reason, "request", 9,
			fmt.Sprintf("Scene %d%s: %s", sc.Number, titleSuffix(sc.Title), text))
	}
}

// summaryOf returns what stands for a chapter's or scene's text in the recap,
// and why: its summary, else its synopsis, else an extract of text().
func (a *assembly) summaryOf(id, synopsis string, text func() string) (string, string) {
	if s := strings.TrimSpace(a.in.Summaries[id]); s != "" {
		return s, "summary"
	}
	if s := strings.TrimSpace(synopsis); s != "" {
		return s, "synopsis (no summary yet)"
	}
	if s := extract(text(), 80); s != "" {
		return s, "extract (no summary yet)"
	}
	return "", ""
}

// collectCodex adds the entities the request needs, each once, with the
// strongest reason it has: pinned, point of view, named in the scene card or
// the request, named at the end of the text before, or one relationship away.
func (a *assembly) collectCodex() {
	in := a.in
	reasons := map[string]string{}
	prio := map[string]int{}
	set := func(id, reason string, p int) {
		if _, ok := a.entities[id]; !ok {
			return
		}
		if old, ok := prio[id]; ok && old <= p {
			return
		}
		reasons[id], prio[id] = reason, p
	}
	for _, id := range in.Pinned {
		set(id, "pinned", 3)
	}
	sc := in.scene()
	if sc != nil && sc.POVCharacterID != "" {
		set(sc.POVCharacterID, "point-of-view character", 3)
	}
	var cardText string
	if sc != nil {
		cardText = sc.Title + "\n" + sc.Setting + "\n" + sc.Card.Goal + "\n" + strings.Join(sc.Card.Beats, "\n")
	}
	if c := in.chapter(); c != nil && (sc == nil || in.Mode == ModeOutline) {
		cardText += "\n" + c.Title + "\n" + c.Synopsis
	}
	for _, id := range a.match.find(cardText) {
		set(id, "named in the scene card", 4)
	}
	for _, id := range a.match.find(in.Instruction + "\n" + in.Selection) {
		set(id, "named in the request", 4)
	}
	// A scene written from its card: the card says who is in it, and the point
	// of view whose thoughts may stray to the people close to them. Otherwise
	// the join with the text before says who is on stage: the end of the
	// previous scene, or of the text so far; further back is the recap's and
	// retrieval's business.
	card := sc != nil && in.Mode == ModeScene
	if n := len(a.before); n > 0 && !card {
		for _, id := range a.match.find(lastWords(a.before[n-1:], scanWords)) {
			set(id, "named in the recent text", 6)
		}
	}
	// One relationship away from those.
	var direct []string
	for _, id := range a.order {
		if p, ok := prio[id]; ok && (!card || p <= 3) {
			direct = append(direct, id)
		}
	}
	for _, id := range direct {
		for _, rel := range a.entities[id].related {
			set(rel.id, fmt.Sprintf("%s%s of %s", reasonRelated, rel.kind, a.entities[id].name), 12)
		}
	}
	for _, id := range a.order {
		p, ok := prio[id]
		if !ok {
			continue
		}
		e := a.entities[id]
		it := a.add("codex", id, e.name, reasons[id], "request", p, e.card(a.mainCast[id] != nil, a.asOf))
		it.order = e.index
	}
}

// collectRecent adds the last words before the insertion point, verbatim, as
// paragraphs: the older paragraphs go first when the budget is short.
func (a *assembly) collectRecent() {
	in := a.in
	if in.Mode == ModeCharacters || in.Mode == ModeBrainstorm || in.Mode == ModeSummarize {
		return
	}
	paras := tailParagraphs(a.before, in.RecentWords)
	n := len(paras)
	for i, p := range paras {
		// The newest paragraph has the highest priority.
		it := a.add("recent", p.id, p.where, "recent text, verbatim", "request", 5, p.text)
		it.order = i
		it.priority = 5
		if n-i > 6 {
			it.priority = 11
		}
	}
}

// collectPassages adds the earlier passages most relevant to the request (BM25
// over everything before the recent text).
func (a *assembly) collectPassages() {
	in := a.in
	recent := tailParagraphs(a.before, in.RecentWords)
	cut := map[string]bool{}
	for _, p := range recent {
		cut[p.text] = true
	}
	var ps []*passage
	for _, s := range a.before {
		for _, p := range splitPassages(s.where, s.id, s.text, passageWords) {
			if !containsAll(cut, p.paras) {
				ps = append(ps, p)
			}
		}
	}
	if len(ps) == 0 {
		return
	}
	q := in.Instruction + "\n" + in.Selection
	if sc := in.scene(); sc != nil {
		q += "\n" + sc.Title + "\n" + sc.Setting + "\n" + sc.Card.Goal + "\n" + strings.Join(sc.Card.Beats, "\n")
	}
	if c := in.chapter(); c != nil {
		q += "\n" + c.Title + "\n" + c.Synopsis
	}
	for i, hit := range newIndex(ps, q).search(maxPassages) {
		it := a.add("passages", hit.p.ID, hit.p.Where, fmt.Sprintf("retrieved (bm25 %.2f)", hit.score), "request", 13,
			fmt.Sprintf("From %s:\n%s", hit.p.Where, hit.p.text()))
		it.order = i
	}
}

// containsAll reports whether every paragraph of paras is in set: a passage the
// recent text holds whole.
func containsAll(set map[string]bool, paras []string) bool {
	for _, p := range paras {
		if !set[p] {
			return false
		}
	}
	return true
}

// fill chooses the parts within the budget.
//
// The cached blocks are filled first, each from its own parts only: the book
// block is then the same for every request on the book, and the chapter block
// the same for every scene of a chapter, whatever each request adds, which is
// what lets the provider's prompt cache hit. Together they take at most
// stableShare of the budget. The request block gets the rest. Within a block,
// parts go by priority (ties: the most recent recap and text first, then
// bible or manuscript order), each section within its share of the budget.
//
// A part costs its tokens plus one for the blank line before it, and the first
// part of a section also pays for the section's heading: the rendered prompt
// then never counts more tokens than the budget (Tokens of a join is at most
// the sum of the pieces' plus one per join).
func (a *assembly) fill() error {
	budget := a.in.Budget
	headed := map[string]bool{}
	cost := func(it *item) int {
		c := it.Tokens + 1
		if k := it.Block + "/" + it.Section; !headed[k] {
			if h := a.heading(it.Section, it.Block); h != "" {
				c += Tokens(h) + 1
			}
		}
		return c
	}
	take := func(it *item) int {
		c := cost(it)
		headed[it.Block+"/"+it.Section] = true
		return c
	}
	used, stable := 0, 0
	for _, it := range a.required {
		c := take(it)
		used += c
		if it.Block != "request" {
			stable += c
		}
	}
	if used > budget {
		field := "budget"
		if strings.TrimSpace(a.in.Selection) != "" {
			field = "selection"
		}
		return errs.Field(field, "the request alone needs about %d tokens, more than the budget of %d", used, budget)
	}
	stableCap := min(int(stableShare*float64(budget)), budget-(used-stable))
	cands := slices.Clone(a.items)
	sort.SliceStable(cands, func(i, j int) bool {
		ci, cj := cands[i], cands[j]
		if ci.priority != cj.priority {
			return ci.priority < cj.priority
		}
		if ci.Section == cj.Section && (ci.Section == "summaries" || ci.Section == "recent") && ci.Block == cj.Block {
			return ci.order > cj.order // the most recent recap or paragraph first
		}
		return false
	})
	sectionUsed := map[string]int{}
	recentBroken := false
	for _, block := range []string{"book", "chapter", "request"} {
		if block == "request" {
			a.unfoldMainCast()
		}
		for _, it := range cands {
			if it.Block != block {
				continue
			}
			c := cost(it)
			key := it.Block + "/" + it.Section
			share := int(sectionShare[it.Section] * float64(budget))
			fits := used+c <= budget && sectionUsed[key]+it.Tokens <= share && (block == "request" || stable+c <= stableCap)
			// Recent text stays contiguous: once a paragraph is left out, so are
			// the older ones.
			if it.Section == "recent" && recentBroken {
				fits = false
			}
			if !fits {
				if it.Section == "recent" {
					recentBroken = true
				}
				continue
			}
			a.chosen[it] = true
			c = take(it)
			used += c
			if block != "request" {
				stable += c
			}
			sectionUsed[key] += it.Tokens
		}
	}
	return nil
}

// unfoldMainCast gives the codex cards of main characters whose book-block part
// was left out the description that part would have carried.
func (a *assembly) unfoldMainCast() {
	for _, it := range a.items {
		if cast := a.mainCast[it.ID]; it.Section == "codex" && cast != nil && !a.chosen[cast] {
			it.text = a.entities[it.ID].card(false, a.asOf)
			it.Tokens = Tokens(it.text)
		}
	}
}

// sectionRank orders the sections within a block: the most stable first.
var sectionRank = map[string]int{"rules": 0, "story": 1, "style": 2, "world": 3, "cast": 4, "summaries": 5, "plan": 6,
	"codex": 7, "passages": 8, "recent": 9, "card": 10, "target": 11, "selection": 12, "instruction": 13}

// heading is the line that opens a section in a block, or "" for none.
func (a *assembly) heading(section, block string) string {
	switch section {
	case "world":
		if block == "book" {
			return "## The world"
		}
		if a.asOf > 0 {
			return fmt.Sprintf("## The world as of chapter %d", a.asOf)
		}
		return "## The world (true for part of the story)"
	case "cast":
		return "## Main cast"
	case "summaries":
		if block == "request" {
			return "## Earlier in this chapter"
		}
		return "## The story so far"
	case "codex":
		return "## Story bible: who and what this part involves"
	case "passages":
		return "## Earlier passages that bear on this"
	case "recent":
		return "## The text so far (the most recent part, verbatim)"
	}
	return ""
}

// render writes the chosen parts in their blocks, in a fixed order.
func (a *assembly) render() *Prompt {
	in := a.in
	m := Manifest{Mode: in.Mode, Budget: in.Budget, Chapter: in.Chapter, Scene: in.Scene, Parts: []Part{}, Dropped: []Part{}}
	write := func(block string) string {
		var items []*item
		for _, it := range a.required {
			if it.Block == block {
				items = append(items, it)
			}
		}
		for _, it := range a.items {
			if it.Block == block && a.chosen[it] {
				items = append(items, it)
			}
		}
		sort.SliceStable(items, func(i, j int) bool {
			ri, rj := sectionRank[items[i].Section], sectionRank[items[j].Section]
			if ri != rj {
				return ri < rj
			}
			return items[i].order < items[j].order
		})
		var b strings.Builder
		last := ""
		for _, it := range items {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			if it.Section != last {
				if h := a.heading(it.Section, block); h != "" {
					b.WriteString(h)
					b.WriteString("\n\n")
				}
				last = it.Section
			}
			b.WriteString(it.text)
			m.Parts = append(m.Parts, it.Part)
		}
		return b.String()
	}
	book := write("book")
	chapter := write("chapter")
	request := write("request")
	for _, it := range a.items {
		if !a.chosen[it] {
			d := it.Part
			d.Reason += "; left out: over budget"
			d.Block = ""
			m.Dropped = append(m.Dropped, d)
		}
	}
	req := ai.Request{MaxTokens: maxTokensFor(in.Words)}
	req.System = append(req.System, ai.Block{Text: book, Cache: true})
	if chapter != "" {
		req.System = append(req.System, ai.Block{Text: chapter, Cache: true})
	}
	req.Messages = []ai.Message{{Role: "user", Text: request}}
	m.BlockTokens.Book, m.BlockTokens.Chapter, m.BlockTokens.Request = Tokens(book), Tokens(chapter), Tokens(request)
	m.Tokens = m.BlockTokens.Book + m.BlockTokens.Chapter + m.BlockTokens.Request
	h := sha256.New()
	for _, b := range req.System {
		h.Write([]byte(b.Text))
		h.Write([]byte{0})
	}
	h.Write([]byte(request))
	m.Hash = hex.EncodeToString(h.Sum(nil))
	return &Prompt{Request: req, Manifest: m}
}

// maxTokensFor gives an answer of words words room, with headroom for
// thinking and the tokenizer's variance.
func maxTokensFor(words int) int {
	return max(words*2+256, 512)
}

func (a *assembly) nameOf(id string) string {
	if e, ok := a.entities[id]; ok {
		return e.name
	}
	return ""
}

func (a *assembly) targetText() string {
	if sc := a.in.scene(); sc != nil {
		return sc.Text
	}
	if c := a.in.chapter(); c != nil {
		return chapterFullText(c)
	}
	return ""
}

func chapterFullText(c *content.ManuscriptChapter) string {
	parts := []string{}
	if strings.TrimSpace(c.Text) != "" {
		parts = append(parts, c.Text)
	}
	for _, sc := range c.Scenes {
		if strings.TrimSpace(sc.Text) != "" {
			parts = append(parts, sc.Text)
		}
	}
	return strings.Join(parts, "\n\n")
}

func chapterPlan(c *content.ManuscriptChapter, withCards bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Chapter %d%s\n", c.Number, titleSuffix(c.Title))
	if c.Synopsis != "" {
		fmt.Fprintf(&b, "Synopsis: %s\n", c.Synopsis)
	}
	if withCards {
		for _, sc := range c.Scenes {
			fmt.Fprintf(&b, "Scene %d%s", sc.Number, titleSuffix(sc.Title))
			if sc.Card.Goal != "" {
				fmt.Fprintf(&b, ": %s", sc.Card.Goal)
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func sceneTitle(sc *content.ManuscriptScene) string {
	if sc.Title != "" {
		return sc.Title
	}
	return fmt.Sprintf("scene %d", sc.Number)
}

func sceneCard(chapter int, sc *content.ManuscriptScene, nameOf func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Scene card: chapter %d, scene %d%s\n", chapter, sc.Number, titleSuffix(sc.Title))
	if sc.POVCharacterID != "" {
		if n := nameOf(sc.POVCharacterID); n != "" {
			fmt.Fprintf(&b, "Point of view: %s\n", n)
		}
	}
	if sc.Setting != "" {
		fmt.Fprintf(&b, "Setting: %s\n", sc.Setting)
	}
	if sc.Card.Goal != "" {
		fmt.Fprintf(&b, "Goal: %s\n", sc.Card.Goal)
	}
	if len(sc.Card.Beats) > 0 {
		b.WriteString("Beats:\n")
		for i, beat := range sc.Card.Beats {
			fmt.Fprintf(&b, "%d. %s\n", i+1, beat)
		}
	}
	if sc.Card.TargetWords > 0 {
		fmt.Fprintf(&b, "Length: about %d words\n", sc.Card.TargetWords)
	}
	return strings.TrimRight(b.String(), "\n")
}

func titleSuffix(t string) string {
	if t == "" {
		return ""
	}
	return ": " + t
}

// compactJSON renders a JSON object with sorted keys, or "" when it is empty.
func compactJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return ""
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return ""
	}
	b, err := json.Marshal(v) // maps marshal with sorted keys
	if err != nil {
		return ""
	}
	return string(b)
}
