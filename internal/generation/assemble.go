package generation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	// stableShare is the most of the budget the book, chapter and plan blocks
	// take together, so that the request's own parts (the cast present first)
	// always have room. The current chapter's text (the draft blocks) comes on
	// top, within what the request's codex leaves (see fillDraft).
	stableShare = 0.6
	// joinWords is how much of the text just before the insertion point the
	// request repeats when a cached block already holds that text whole: enough
	// to show where the new text joins, no more.
	joinWords = 150
	// requestShare is the room for the request's own parts that the previous
	// chapter verbatim must leave, besides room for the current chapter.
	requestShare = 0.15
	// referenceTokens is the shortest selection or text to summarize that is
	// referred to rather than repeated when a cached block holds it verbatim.
	referenceTokens = 200
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

// blockShare overrides sectionShare for a section in one block: the previous
// chapter verbatim in the chapter block, and the current chapter's text so far
// in the draft blocks, which is bounded by the room the request's codex needs
// instead (see fillDraft).
var blockShare = map[string]float64{
	"chapter/recent": 0.45,
	"draft/recent":   1,
}

func shareOf(block, section string) float64 {
	if s, ok := blockShare[block+"/"+section]; ok {
		return s
	}
	return sectionShare[section]
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
	// Block is where the part sits: "book" and "chapter" are cached prefixes
	// (the chapter's parts span several cached blocks: its recap, its plan, and
	// its text so far a scene a block), "request" is the uncached tail.
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
	// Blocks names the request's system blocks in order: "book", "chapter"
	// (world as of the chapter, the story so far, the previous chapter
	// verbatim), "plan" (the current chapter's plan) and "draft" (the text of
	// one scene of the current chapter, verbatim). The JSON manifest counts the
	// last three under "chapter".
	Blocks []string `json:"-"`
}

// item is a candidate part with its rendered text.
type item struct {
	Part
	// block is where the part sits: "book", "chapter", "plan", "draft" or
	// "request". Part.Block is its public name.
	block    string
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
//
// The prompt is filled block by block, most stable first, each block from its
// own parts only, so that it holds the same text whenever its inputs are the
// same and the provider's prompt cache hits:
//
//   - book: rules, story, style guide, world facts true throughout, main cast;
//     the same for every request on the book.
//   - chapter: world facts in force at the chapter, summaries of the earlier
//     chapters and, when the budget allows, the previous chapter verbatim; the
//     same for every request on the chapter.
//   - plan: the chapter's synopsis and scene list; the same for every request
//     on the chapter once its scenes exist.
//   - draft: the current chapter's text before the insertion point, verbatim,
//     one block per scene, so that each scene's block, once written, is read
//     by every later request on the chapter.
//   - request (uncached): the codex, retrieved passages, the last lines before
//     the insertion point, the scene card, the passage worked on and the
//     request. A selection or text to summarize that a draft block holds is
//     referred to, not repeated.
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
	a.collectStable()
	if err := a.countRequired(); err != nil {
		return nil, err
	}
	a.fillStable()
	a.collectCodex()
	a.unfoldMainCast()
	a.fillDraft()
	a.collectRecent()
	a.collectPassages()
	a.collectSceneSummaries()
	a.fillRequest()
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
	// current and previous index the segments of before that belong to the
	// target chapter and to the chapter before it.
	current, previous []int
	// world holds the facts in force that are about no entity.
	world    []bibleFact
	items    []*item
	required []*item
	chosen   map[*item]bool
	// mainCast holds the main cast's parts of the book block, by entity id.
	mainCast map[string]*item
	// draft holds a part per segment of current; prevSummary is the previous
	// chapter's summary, which the chapter verbatim makes redundant.
	draft       []*item
	prevSummary *item
	// covered lists the segments (by id) a cached block holds verbatim;
	// joinOnly is set when the request's recent text only repeats the end of
	// one of them.
	covered  map[string]bool
	joinOnly bool
	// chapterPassages holds the text of the passages retrieved for the chapter;
	// selectionReferred is set when the selection is referred to in a draft
	// block rather than repeated.
	chapterPassages   map[string]bool
	selectionReferred bool
	// The fill's running totals: tokens used, those in the book, chapter and
	// plan blocks, per block and section, and the sections whose heading is
	// paid for.
	used, stable int
	sectionUsed  map[string]int
	headed       map[string]bool
	recentBroken bool
}

// segment is a chapter's or scene's text.
type segment struct {
	where   string
	id      string
	text    string
	chapter int
	scene   int // 0 for a chapter's own text
	title   string
}

func newAssembly(in *Input) *assembly {
	a := &assembly{in: in, story: in.Manuscript.Story, entities: map[string]*entity{}, match: newMatcher(),
		chosen: map[*item]bool{}, mainCast: map[string]*item{}, covered: map[string]bool{},
		sectionUsed: map[string]int{}, headed: map[string]bool{}}
	a.asOf = in.Chapter
	// Continuing the story as a whole writes after its last chapter: the bible
	// as of then, without the facts that have stopped holding.
	if n := len(in.Manuscript.Chapters); in.Chapter == 0 && in.Mode == ModeContinue && n > 0 {
		a.asOf = in.Manuscript.Chapters[n-1].Number
	}
	a.loadBible()
	a.before = a.textBefore()
	if in.Chapter > 0 {
		prev := 0
		for _, c := range in.Manuscript.Chapters {
			if c.Number < in.Chapter {
				prev = c.Number
			}
		}
		for i, s := range a.before {
			switch {
			case s.chapter == in.Chapter:
				a.current = append(a.current, i)
			case prev > 0 && s.chapter == prev:
				a.previous = append(a.previous, i)
			}
		}
	}
	return a
}

// textBefore lists the text that precedes the insertion point: what the model may
// read without learning anything the story has not reached yet. The text a
// summary is asked of counts as before it.
func (a *assembly) textBefore() []segment {
	var out []segment
	in := a.in
	for _, c := range in.Manuscript.Chapters {
		if in.Chapter > 0 && c.Number > in.Chapter {
			break
		}
		current := c.Number == in.Chapter
		if current && in.Mode == ModeOutline {
			break
		}
		if strings.TrimSpace(c.Text) != "" {
			out = append(out, segment{where: fmt.Sprintf("chapter %d", c.Number), id: c.ID, text: c.Text,
				chapter: c.Number, title: c.Title})
		}
		for _, sc := range c.Scenes {
			if current && in.Scene > 0 {
				if sc.Number > in.Scene {
					break
				}
				if sc.Number == in.Scene && in.Mode != ModeContinue && in.Mode != ModeRewrite && in.Mode != ModeSummarize &&
					in.Mode != ModeExpand && in.Mode != ModeShorten && in.Mode != ModeDescribe {
					break
				}
			}
			if strings.TrimSpace(sc.Text) != "" {
				out = append(out, segment{where: fmt.Sprintf("chapter %d, scene %d", c.Number, sc.Number), id: sc.ID,
					text: sc.Text, chapter: c.Number, scene: sc.Number, title: sc.Title})
			}
		}
	}
	return out
}

// collectStable makes the candidate parts of the cached blocks and the
// request's required parts.
func (a *assembly) collectStable() {
	in := a.in
	st := a.story
	// Required: the rules.
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
	// The chapter block: what happened so far, the chapter before verbatim.
	a.collectChapterSummaries()
	// The plan block: the current chapter's plan.
	if c := in.chapter(); c != nil {
		if plan := chapterPlan(c, in.Mode != ModeOutline); plan != "" {
			a.add("plan", c.ID, fmt.Sprintf("chapter %d plan", c.Number), "the current chapter", "plan", 7, plan)
		}
	}
	// The draft blocks: the current chapter's text so far. A selection or text
	// to summarize that is the end of it is referred to, and the blocks that
	// hold it are required.
	var target string
	if in.Mode == ModeSummarize {
		target = a.targetText()
	}
	targetFrom, selFrom := a.suffixMatching(target), a.suffixMatching(in.Selection)
	for k, i := range a.current {
		s := a.before[i]
		heading := fmt.Sprintf("## Chapter %d, verbatim", s.chapter)
		if s.scene > 0 {
			heading = fmt.Sprintf("## Chapter %d, scene %d%s, verbatim", s.chapter, s.scene, titleSuffix(s.title))
		}
		text := heading + "\n\n" + strings.TrimSpace(s.text)
		var it *item
		switch {
		case selFrom >= 0 && k >= selFrom:
			it = a.require("recent", s.id, s.where, "the passage to work on, verbatim", "draft", text)
		case targetFrom >= 0 && k >= targetFrom:
			it = a.require("recent", s.id, s.where, "the text to summarize, verbatim", "draft", text)
		default:
			it = a.add("recent", s.id, s.where, "this chapter so far, verbatim", "draft", 5, text)
		}
		it.order = k
		a.draft = append(a.draft, it)
	}
	// The request's required parts.
	if sc := in.scene(); sc != nil && in.Mode == ModeScene {
		a.require("card", sc.ID, sceneTitle(sc), "the scene to write", "request", sceneCard(in.Chapter, sc, a.nameOf))
	}
	if in.Mode == ModeSummarize {
		if targetFrom >= 0 {
			a.require("target", "", a.in.targetName(), "the text to summarize (verbatim above)", "request",
				"## Text to summarize\n"+a.referTo(targetFrom))
		} else {
			a.require("target", "", a.in.targetName(), "the text to summarize", "request", "## Text to summarize\n"+target)
		}
	}
	if in.Selection != "" {
		if a.selectionReferred = selFrom >= 0; a.selectionReferred {
			a.require("selection", "", "selection", "the passage to work on (verbatim above)", "request", "## Passage\n"+a.referTo(selFrom))
		} else {
			a.require("selection", "", "selection", "the passage to work on", "request", "## Passage\n"+in.Selection)
		}
	}
	a.require("instruction", "", in.Mode, "the request", "request", "## Request\n"+instruction(in.Mode, in, in.Words))
}

// suffixMatching returns k when text is the current chapter's segments from
// the k-th on, joined as a chapter's text is, and long enough to be worth
// referring to; -1 otherwise.
func (a *assembly) suffixMatching(text string) int {
	text = strings.TrimSpace(text)
	if text == "" || Tokens(text) < referenceTokens {
		return -1
	}
	joined := ""
	for k := len(a.current) - 1; k >= 0; k-- {
		s := a.before[a.current[k]].text
		if joined != "" {
			s += "\n\n" + joined
		}
		joined = s
		if len(strings.TrimSpace(joined)) > len(text) {
			return -1
		}
		if strings.TrimSpace(joined) == text {
			return k
		}
	}
	return -1
}

// referTo says where the prompt holds the current chapter's segments from the
// k-th on.
func (a *assembly) referTo(k int) string {
	segs := a.current[k:]
	first, last := a.before[segs[0]], a.before[segs[len(segs)-1]]
	var what string
	switch {
	case k == 0 && len(segs) > 1:
		what = fmt.Sprintf("all of chapter %d as written so far", first.chapter)
	case len(segs) == 1 && first.scene == 0:
		what = fmt.Sprintf("the text of chapter %d", first.chapter)
	case len(segs) == 1:
		what = fmt.Sprintf("scene %d of chapter %d", first.scene, first.chapter)
	default:
		what = fmt.Sprintf("scenes %d to %d of chapter %d", first.scene, last.scene, first.chapter)
	}
	return fmt.Sprintf("It is %s, given verbatim above: work on that text, from its first word to its last.", what)
}

func (a *assembly) chapterTitle(n int) string {
	for _, c := range a.in.Manuscript.Chapters {
		if c.Number == n {
			return c.Title
		}
	}
	return ""
}

func (a *assembly) chapterID(n int) string {
	for _, c := range a.in.Manuscript.Chapters {
		if c.Number == n {
			return c.ID
		}
	}
	return ""
}

func (a *assembly) require(section, id, name, reason, block, text string) *item {
	it := &item{Part: Part{Section: section, ID: id, Name: name, Reason: reason, Block: publicBlock(block), Tokens: Tokens(text)},
		block: block, text: text}
	a.required = append(a.required, it)
	return it
}

func (a *assembly) add(section, id, name, reason, block string, priority int, text string) *item {
	it := &item{Part: Part{Section: section, ID: id, Name: name, Reason: reason, Block: publicBlock(block), Tokens: Tokens(text)},
		block: block, text: text, priority: priority, order: len(a.items)}
	a.items = append(a.items, it)
	return it
}

// publicBlock is the manifest's name for a block: the plan and the draft are
// the chapter's.
func publicBlock(block string) string {
	if block == "plan" || block == "draft" {
		return "chapter"
	}
	return block
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

// collectChapterSummaries adds the recap of the earlier chapters: a summary of
// each. Recent ones come first in priority.
func (a *assembly) collectChapterSummaries() {
	in := a.in
	prev := -1
	if len(a.previous) > 0 {
		prev = a.before[a.previous[0]].chapter
	}
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
		if c.Number == prev {
			a.prevSummary = it
		}
	}
}

// collectSceneSummaries adds the recap of the current chapter's earlier scenes
// that no draft block holds.
func (a *assembly) collectSceneSummaries() {
	in := a.in
	c := in.chapter()
	if c == nil || in.Scene == 0 {
		return
	}
	for _, sc := range c.Scenes {
		if sc.Number >= in.Scene {
			break
		}
		if a.covered[sc.ID] {
			continue
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
// paragraphs: the older paragraphs go first when the budget is short. When a
// cached block holds the text they come from, only its last lines are
// repeated, to show where the new text joins.
func (a *assembly) collectRecent() {
	in := a.in
	if in.Mode == ModeCharacters || in.Mode == ModeBrainstorm || in.Mode == ModeSummarize {
		return
	}
	paras := a.recentParagraphs()
	n := len(paras)
	for i, p := range paras {
		// The newest paragraph has the highest priority.
		it := a.add("recent", p.id, p.where, "recent text, verbatim", "request", 5, p.text)
		it.order = i
		if a.joinOnly {
			it.Reason = "the last lines so far, repeated"
		}
		if n-i > 6 {
			it.priority = 11
		}
	}
}

// recentParagraphs returns the recent text the request may repeat: the last
// lines of the last segment when a cached block holds it, else the last
// paragraphs of the segments after the last one a cached block holds.
func (a *assembly) recentParagraphs() []segment {
	n := len(a.before)
	if n == 0 {
		return nil
	}
	if a.covered[a.before[n-1].id] {
		a.joinOnly = true
		return tailParagraphs(a.before[n-1:], min(joinWords, a.in.RecentWords))
	}
	j := n
	for j > 0 && !a.covered[a.before[j-1].id] {
		j--
	}
	return tailParagraphs(a.before[j:], a.in.RecentWords)
}

// collectChapterPassages adds to the plan block the passages of the earlier
// chapters most relevant to the chapter's plan (BM25 over the text before the
// chapter that the chapter block does not hold): the same for every request on
// the chapter, so they are cached with the plan.
func (a *assembly) collectChapterPassages() {
	c := a.in.chapter()
	if c == nil {
		return
	}
	withCards := a.in.Mode != ModeOutline
	q := c.Title + "\n" + c.Synopsis
	if withCards {
		for _, sc := range c.Scenes {
			q += "\n" + sc.Title + "\n" + sc.Setting + "\n" + sc.Card.Goal + "\n" + strings.Join(sc.Card.Beats, "\n")
		}
	}
	var ps []*passage
	for _, s := range a.before {
		if s.chapter >= c.Number || a.covered[s.id] {
			continue
		}
		ps = append(ps, splitPassages(s.where, s.id, s.text, passageWords)...)
	}
	a.chapterPassages = map[string]bool{}
	for i, hit := range searchPassages(ps, q, maxPassages) {
		text := fmt.Sprintf("From %s:\n%s", hit.p.Where, hit.p.text())
		it := a.add("passages", hit.p.ID, hit.p.Where, fmt.Sprintf("retrieved for the chapter (bm25 %.2f)", hit.score), "plan", 13, text)
		it.order = i
		a.chapterPassages[text] = true
	}
}

// collectPassages adds the earlier passages most relevant to what the request
// itself asks (BM25 over the text before the insertion point that no cached
// block holds, the recent text left out). A request on a chapter has the
// chapter's passages already: it gets a few more only when it brings something
// of its own, a selection the prompt does not hold or an instruction that
// names a character or world entry.
func (a *assembly) collectPassages() {
	in := a.in
	sel := in.Selection
	if a.selectionReferred {
		sel = ""
	}
	q := strings.TrimSpace(in.Instruction + "\n" + sel)
	k := maxPassages
	if in.chapter() != nil {
		k = maxPassages / 2
		if strings.TrimSpace(sel) == "" && len(a.match.find(in.Instruction)) == 0 {
			q = ""
		}
	}
	if q == "" {
		return
	}
	cut := map[string]bool{}
	for _, p := range a.recentParagraphs() {
		cut[p.text] = true
	}
	var ps []*passage
	for _, s := range a.before {
		if a.covered[s.id] {
			continue
		}
		for _, p := range splitPassages(s.where, s.id, s.text, passageWords) {
			if !containsAll(cut, p.paras) && !a.chapterPassages[fmt.Sprintf("From %s:\n%s", p.Where, p.text())] {
				ps = append(ps, p)
			}
		}
	}
	for i, hit := range searchPassages(ps, q, k) {
		it := a.add("passages", hit.p.ID, hit.p.Where, fmt.Sprintf("retrieved (bm25 %.2f)", hit.score), "request", 13,
			fmt.Sprintf("From %s:\n%s", hit.p.Where, hit.p.text()))
		it.order = i
	}
}

// searchPassages returns the k passages of ps that match q best.
func searchPassages(ps []*passage, q string, k int) []scored {
	if len(ps) == 0 {
		return nil
	}
	return newIndex(ps, q).search(k)
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

// The fill chooses the parts within the budget.
//
// The required parts are counted first. The cached blocks are then filled in
// order, each from its own parts only: the book block is then the same for
// every request on the book, and the chapter and plan blocks the same for
// every request on a chapter, whatever each request adds, which is what lets
// the provider's prompt cache hit. Together they take at most stableShare of
// the budget. The draft blocks come next, newest scene first and without gaps,
// leaving room for the codex entries the request names; the request block
// gets the rest. Within a block, parts go by priority (ties: the most recent
// recap and text first, then bible or manuscript order), each section within
// its share of the budget.
//
// A part costs its tokens plus one for the blank line before it, and the first
// part of a section also pays for the section's heading: the rendered prompt
// then never counts more tokens than the budget (Tokens of a join is at most
// the sum of the pieces' plus one per join).

// cost is what choosing it adds to the prompt.
func (a *assembly) cost(it *item) int {
	c := it.Tokens + 1
	if k := it.block + "/" + it.Section; !a.headed[k] {
		if h := a.heading(it.Section, it.block); h != "" {
			c += Tokens(h) + 1
		}
	}
	return c
}

// take chooses it.
func (a *assembly) take(it *item) {
	c := a.cost(it)
	a.headed[it.block+"/"+it.Section] = true
	a.chosen[it] = true
	a.used += c
	if it.block == "book" || it.block == "chapter" || it.block == "plan" {
		a.stable += c
	}
	a.sectionUsed[it.block+"/"+it.Section] += it.Tokens
}

// fits reports whether it fits the budget and its section's share, and, in a
// cached block, the cap on those blocks.
func (a *assembly) fits(it *item, stableCap int) bool {
	c := a.cost(it)
	share := int(shareOf(it.block, it.Section) * float64(a.in.Budget))
	if a.used+c > a.in.Budget || a.sectionUsed[it.block+"/"+it.Section]+it.Tokens > share {
		return false
	}
	return stableCap < 0 || a.stable+c <= stableCap
}

// countRequired counts the required parts, which the budget must hold.
func (a *assembly) countRequired() error {
	for _, it := range a.required {
		a.take(it)
		if it.block == "draft" {
			a.covered[it.ID] = true
		}
	}
	if a.used > a.in.Budget {
		field := "budget"
		if strings.TrimSpace(a.in.Selection) != "" {
			field = "selection"
		}
		return errs.Field(field, "the request alone needs about %d tokens, more than the budget of %d", a.used, a.in.Budget)
	}
	return nil
}

// sorted returns the optional parts of block by priority.
func (a *assembly) sorted(block string) []*item {
	var cands []*item
	for _, it := range a.items {
		if it.block == block {
			cands = append(cands, it)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		ci, cj := cands[i], cands[j]
		if ci.priority != cj.priority {
			return ci.priority < cj.priority
		}
		if ci.Section == cj.Section && (ci.Section == "summaries" || ci.Section == "recent") {
			return ci.order > cj.order // the most recent recap or paragraph first
		}
		return false
	})
	return cands
}

// fillStable fills the book, chapter and plan blocks.
func (a *assembly) fillStable() {
	budget := a.in.Budget
	stableCap := min(int(stableShare*float64(budget)), budget-(a.used-a.stable))
	fill := func(block string) {
		for _, it := range a.sorted(block) {
			if a.fits(it, stableCap) {
				a.take(it)
			}
		}
	}
	fill("book")
	// The plan is held room for before the chapter block is filled, at its
	// size with the scene list, so that the chapter block is the same whether
	// or not the request shows the list (an outline does not).
	reserve := 0
	if c := a.in.chapter(); c != nil {
		full := &item{Part: Part{Section: "plan", Tokens: Tokens(chapterPlan(c, true))}, block: "plan"}
		if a.fits(full, stableCap) {
			reserve = a.cost(full)
		}
	}
	a.used += reserve
	a.stable += reserve
	fill("chapter")
	a.fillPrevious(stableCap)
	a.used -= reserve
	a.stable -= reserve
	a.collectChapterPassages()
	fill("plan")
}

// fillPrevious puts in the chapter block as much of the previous chapter as
// fits, verbatim, from its end and in whole scenes, and only while the budget
// could still hold a current chapter as long as the whole previous one and a
// request of requestShare of the budget: the previous chapter must leave the
// current one room to grow. It looks at the chapter block only, so it decides
// the same for every request on the chapter.
func (a *assembly) fillPrevious(stableCap int) {
	if len(a.previous) == 0 {
		return
	}
	var whole *item
	for k := range a.previous {
		it := a.previousText(a.previous[k:])
		if k == 0 {
			whole = it
		}
		room := a.stable+a.cost(it)+a.cost(whole)+int(requestShare*float64(a.in.Budget)) <= a.in.Budget
		if !room || !a.fits(it, stableCap) {
			continue
		}
		a.items = append(a.items, it)
		a.take(it)
		for _, i := range a.previous[k:] {
			a.covered[a.before[i].id] = true
		}
		// The whole chapter verbatim makes its summary redundant.
		if s := a.prevSummary; k == 0 && s != nil && a.chosen[s] {
			delete(a.chosen, s)
			a.used -= s.Tokens + 1
			a.stable -= s.Tokens + 1
			a.sectionUsed[s.block+"/"+s.Section] -= s.Tokens
		}
		return
	}
	a.items = append(a.items, whole) // listed as left out
}

// previousText is the chapter block's part holding segs, the previous
// chapter's last segments, verbatim.
func (a *assembly) previousText(segs []int) *item {
	first := a.before[segs[0]]
	c := first.chapter
	text := fmt.Sprintf("## The previous chapter, verbatim: chapter %d%s", c, titleSuffix(a.chapterTitle(c)))
	reason := "the previous chapter, verbatim"
	if segs[0] != a.previous[0] {
		text = fmt.Sprintf("## The end of the previous chapter, verbatim: chapter %d%s, from scene %d", c,
			titleSuffix(a.chapterTitle(c)), first.scene)
		reason = fmt.Sprintf("the end of the previous chapter (from scene %d), verbatim", first.scene)
	}
	for _, i := range segs {
		s := a.before[i]
		if s.scene > 0 {
			text += fmt.Sprintf("\n\n### Scene %d%s", s.scene, titleSuffix(s.title))
		}
		text += "\n\n" + strings.TrimSpace(s.text)
	}
	it := &item{Part: Part{Section: "recent", ID: a.chapterID(c), Name: fmt.Sprintf("chapter %d", c), Reason: reason,
		Block: "chapter", Tokens: Tokens(text)}, block: "chapter", text: text, priority: 15, order: len(a.items)}
	return it
}

// fillDraft fills the draft blocks: the current chapter's text, from the
// insertion point back, while it fits with room left for the codex entries the
// request involves directly (all but those one relationship away) and the last
// lines before the insertion point.
func (a *assembly) fillDraft() {
	if len(a.draft) == 0 {
		return
	}
	reserve := 0
	codexUsed, headed := 0, false
	share := int(shareOf("request", "codex") * float64(a.in.Budget))
	for _, it := range a.sorted("request") {
		if it.Section != "codex" || it.priority > 6 || codexUsed+it.Tokens > share {
			continue
		}
		codexUsed += it.Tokens
		reserve += it.Tokens + 1
		if !headed {
			reserve += Tokens(a.heading("codex", "request")) + 1
			headed = true
		}
	}
	if a.in.Mode != ModeCharacters && a.in.Mode != ModeBrainstorm && a.in.Mode != ModeSummarize {
		for _, p := range tailParagraphs(a.before[len(a.before)-1:], min(joinWords, a.in.RecentWords)) {
			reserve += Tokens(p.text) + 1
		}
		reserve += Tokens(a.heading("recent", "request")) + 1
	}
	for k := len(a.draft) - 1; k >= 0; k-- {
		it := a.draft[k]
		if a.covered[it.ID] {
			continue // required
		}
		if a.used+a.cost(it)+reserve > a.in.Budget || !a.fits(it, -1) {
			break // the draft stays contiguous up to the insertion point
		}
		a.take(it)
		a.covered[it.ID] = true
	}
}

// fillRequest fills the request block.
func (a *assembly) fillRequest() {
	for _, it := range a.sorted("request") {
		fits := a.fits(it, -1)
		// Recent text stays contiguous: once a paragraph is left out, so are
		// the older ones.
		if it.Section == "recent" && a.recentBroken {
			fits = false
		}
		if !fits {
			if it.Section == "recent" {
				a.recentBroken = true
			}
			continue
		}
		a.take(it)
	}
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
		if block == "plan" {
			return "## Earlier passages that bear on this chapter"
		}
		return "## Earlier passages that bear on this"
	case "recent":
		if block != "request" {
			return "" // the parts carry their own headings
		}
		if a.joinOnly {
			return "## The text so far ends (repeated from above)"
		}
		return "## The text so far (the most recent part, verbatim)"
	}
	return ""
}

// render writes the chosen parts in their blocks, in a fixed order: the book,
// chapter and plan blocks, a block per draft part, then the request.
func (a *assembly) render() *Prompt {
	in := a.in
	m := Manifest{Mode: in.Mode, Budget: in.Budget, Chapter: in.Chapter, Scene: in.Scene, Parts: []Part{}, Dropped: []Part{}}
	write := func(items []*item, block string) string {
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
	blockItems := func(block string) []*item {
		var items []*item
		for _, it := range a.required {
			if it.block == block {
				items = append(items, it)
			}
		}
		for _, it := range a.items {
			if it.block == block && a.chosen[it] {
				items = append(items, it)
			}
		}
		return items
	}
	req := ai.Request{MaxTokens: maxTokensFor(in.Words)}
	system := func(kind, text string) {
		if text == "" && kind != "book" {
			return
		}
		req.System = append(req.System, ai.Block{Text: text, Cache: true})
		m.Blocks = append(m.Blocks, kind)
		if kind == "book" {
			m.BlockTokens.Book = Tokens(text)
		} else {
			m.BlockTokens.Chapter += Tokens(text)
		}
	}
	system("book", write(blockItems("book"), "book"))
	system("chapter", write(blockItems("chapter"), "chapter"))
	system("plan", write(blockItems("plan"), "plan"))
	for _, it := range a.draft {
		if a.chosen[it] {
			system("draft", write([]*item{it}, "draft"))
		}
	}
	request := write(blockItems("request"), "request")
	for _, it := range a.items {
		if !a.chosen[it] {
			d := it.Part
			d.Reason += "; left out: over budget"
			d.Block = ""
			m.Dropped = append(m.Dropped, d)
		}
	}
	req.Messages = []ai.Message{{Role: "user", Text: request}}
	m.BlockTokens.Request = Tokens(request)
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
