package generation

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/authorworks/authorworks/internal/content"
)

// entity is a character or a world entry, as the assembler sees it.
type entity struct {
	id          string
	index       int    // position in the bible, for a stable order
	kind        string // "character" or the entry's kind
	name        string
	aliases     []string
	role        string
	description string
	background  string
	// traits are the character's traits or the entry's details, read by
	// splitTraits when the entity is first shown.
	traits  json.RawMessage
	split   bool
	details string       // the traits that hold all along, as JSON
	timed   []timedTrait // the traits the story reveals from a chapter on
	facts   []bibleFact
	related []relation
}

// loadTraits fills details and timed from traits, once.
func (e *entity) loadTraits() {
	if !e.split {
		e.details, e.timed = splitTraits(e.traits)
		e.split = true
	}
}

// bibleFact is what the assembler keeps of a fact in force.
type bibleFact struct {
	id, text string
	from     int // the chapter it holds from, 0 for the start
	// always is set for a fact true from the first chapter to the last.
	always bool
}

// relation is a relationship as seen from one of its characters.
type relation struct {
	id, name, kind, description string
	outgoing                    bool // the entity is the relationship's from side
}

// timedTrait is a trait written {"reveal_after": n, …}: the story reveals it in
// chapter n, so no prompt for an earlier chapter holds it.
type timedTrait struct {
	key    string
	reveal int
	text   string
}

// loadBible indexes the bible's characters and entries, their relationships and
// the facts in force at the target chapter.
func (a *assembly) loadBible() {
	b := a.in.Bible
	if b == nil {
		return
	}
	for _, c := range b.Characters {
		e := &entity{id: c.ID, index: len(a.order), kind: "character", name: c.Name, aliases: c.Aliases, role: c.Role,
			description: c.Description, background: c.Background, traits: c.Traits}
		a.entities[c.ID] = e
		a.order = append(a.order, c.ID)
		a.match.add(c.ID, append([]string{c.Name}, c.Aliases...)...)
	}
	for _, en := range b.Entries {
		e := &entity{id: en.ID, index: len(a.order), kind: en.Kind, name: en.Name, aliases: en.Aliases,
			description: en.Description, traits: en.Details}
		a.entities[en.ID] = e
		a.order = append(a.order, en.ID)
		a.match.add(en.ID, append([]string{en.Name}, en.Aliases...)...)
	}
	for _, r := range b.Relationships {
		from, to := a.entities[r.FromCharacterID], a.entities[r.ToCharacterID]
		if from == nil || to == nil || from == to {
			continue
		}
		from.related = append(from.related, relation{id: to.id, name: to.name, kind: r.Kind, description: r.Description, outgoing: true})
		to.related = append(to.related, relation{id: from.id, name: from.name, kind: r.Kind, description: r.Description})
	}
	for i := range b.Facts {
		f := &b.Facts[i]
		if !inForce(f, a.asOf) {
			continue
		}
		bf := bibleFact{id: f.ID, text: f.Fact, from: from(f),
			always: (f.FromChapter == nil || *f.FromChapter <= 1) && f.UntilChapter == nil}
		switch {
		case f.CharacterID != nil:
			if e := a.entities[*f.CharacterID]; e != nil {
				e.facts = append(e.facts, bf)
			}
		case f.EntryID != nil:
			if e := a.entities[*f.EntryID]; e != nil {
				e.facts = append(e.facts, bf)
			}
		default:
			a.world = append(a.world, bf)
		}
	}
	byFrom := func(s []bibleFact) {
		sort.SliceStable(s, func(i, j int) bool { return s[i].from < s[j].from })
	}
	for _, id := range a.order {
		byFrom(a.entities[id].facts)
	}
	byFrom(a.world)
}

// inForce reports whether fact f holds at chapter n. At the story level (n = 0)
// every fact does.
func inForce(f *content.Fact, n int) bool {
	if n == 0 {
		return true
	}
	if f.FromChapter != nil && *f.FromChapter > n {
		return false
	}
	return f.UntilChapter == nil || *f.UntilChapter >= n
}

func from(f *content.Fact) int {
	if f.FromChapter == nil {
		return 0
	}
	return *f.FromChapter
}

// splitTraits renders a character's traits or an entry's details: those that
// hold all along as compact JSON with sorted keys ("" when there are none), and
// apart from them those with a numeric reveal_after.
func splitTraits(raw json.RawMessage) (string, []timedTrait) {
	if len(raw) == 0 {
		return "", nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return compactJSON(raw), nil // not an object: shown as it is
	}
	var timed []timedTrait
	for k, v := range obj {
		var t map[string]any
		if json.Unmarshal(v, &t) != nil {
			continue
		}
		n, ok := t["reveal_after"].(float64)
		if !ok {
			continue
		}
		delete(t, "reveal_after")
		var text string
		if val, ok := t["value"]; ok && len(t) == 1 {
			text = fmt.Sprint(val)
		} else {
			b, _ := json.Marshal(t) //nolint:errchkjson // decoded JSON always marshals
			text = string(b)
		}
		timed = append(timed, timedTrait{key: k, reveal: int(n), text: text})
		delete(obj, k)
	}
	sort.Slice(timed, func(i, j int) bool {
		if timed[i].reveal != timed[j].reveal {
			return timed[i].reveal < timed[j].reveal
		}
		return timed[i].key < timed[j].key
	})
	if len(obj) == 0 {
		return "", timed
	}
	b, err := json.Marshal(obj) // maps marshal with sorted keys
	if err != nil {
		return "", timed
	}
	return compactJSON(b), timed
}

func (e *entity) heading() string {
	label := e.kind
	if e.role != "" {
		label += ", " + e.role
	}
	s := fmt.Sprintf("### %s (%s)", e.name, label)
	if len(e.aliases) > 0 {
		s += "\nAlso called: " + strings.Join(e.aliases, ", ")
	}
	return s
}

// core is what never changes over the story: the main cast's entry in the book
// block.
func (e *entity) core() string {
	var b strings.Builder
	b.WriteString(e.heading())
	if e.description != "" {
		fmt.Fprintf(&b, "\n%s", e.description)
	}
	if e.background != "" {
		fmt.Fprintf(&b, "\nBackground: %s", e.background)
	}
	if e.loadTraits(); e.details != "" {
		fmt.Fprintf(&b, "\nDetails: %s", e.details)
	}
	if len(e.related) > 0 {
		b.WriteString("\nRelationships:")
		for _, r := range e.related {
			from, to := e.name, r.name
			if !r.outgoing {
				from, to = r.name, e.name
			}
			fmt.Fprintf(&b, "\n- %s → %s: %s", from, to, r.kind)
			if r.description != "" {
				fmt.Fprintf(&b, " (%s)", r.description)
			}
		}
	}
	return b.String()
}

// card is the entity as of chapter asOf: its core (unless the book block already
// holds it), then the traits revealed and the facts in force.
func (e *entity) card(coreShown bool, asOf int) string {
	var b strings.Builder
	if coreShown {
		fmt.Fprintf(&b, "### %s (see the main cast)", e.name)
	} else {
		b.WriteString(e.core())
	}
	var lines []string
	e.loadTraits()
	for _, t := range e.timed {
		if asOf == 0 || t.reveal <= asOf {
			lines = append(lines, t.key+": "+t.text)
		}
	}
	for _, f := range e.facts {
		lines = append(lines, f.text)
	}
	if len(lines) > 0 {
		if asOf > 0 {
			fmt.Fprintf(&b, "\nAs of chapter %d:", asOf)
		} else {
			b.WriteString("\nFacts:")
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "\n- %s", l)
		}
	}
	return b.String()
}

// extract is a short stand-in for a summary: the first sentences of text, up to
// about words words.
func extract(text string, words int) string {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return ""
	}
	if len(fields) <= words {
		return strings.Join(fields, " ")
	}
	out := strings.Join(fields[:words], " ")
	if i := strings.LastIndexAny(out, ".!?"); i > len(out)/2 {
		return out[:i+1]
	}
	return out + " …"
}

// tailParagraphs returns the last paragraphs of segs, oldest first, holding at
// most words words (and at least one paragraph, cut to words when it is longer).
func tailParagraphs(segs []segment, words int) []segment {
	var out []segment
	n := 0
	for i := len(segs) - 1; i >= 0 && n < words; i-- {
		paras := strings.Split(segs[i].text, "\n")
		for j := len(paras) - 1; j >= 0 && n < words; j-- {
			p := strings.TrimSpace(paras[j])
			if p == "" {
				continue
			}
			w := len(strings.Fields(p))
			if n+w > words {
				if len(out) > 0 {
					return reverse(out)
				}
				f := strings.Fields(p)
				p = "… " + strings.Join(f[len(f)-words:], " ")
				w = words
			}
			out = append(out, segment{where: segs[i].where, id: segs[i].id, text: p})
			n += w
		}
	}
	return reverse(out)
}

func reverse(s []segment) []segment {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

// lastWords returns about the last n words of segs.
func lastWords(segs []segment, n int) string {
	var parts []string
	for _, p := range tailParagraphs(segs, n) {
		parts = append(parts, p.text)
	}
	return strings.Join(parts, "\n")
}
