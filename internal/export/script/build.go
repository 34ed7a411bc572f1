package script

import (
	"strings"

	"github.com/authorworks/authorworks/internal/document"
)

// units lays out the blocks of a script document as the units the paginator
// places. Sections, synopses and notes are not printed.
func (f *format) units(d document.Doc) []*unit {
	var us []*unit
	newPage := false
	add := func(u *unit) {
		u.newPage = u.newPage || newPage
		newPage = false
		us = append(us, u)
	}
	for i := 0; i < len(d); i++ {
		b := &d[i]
		switch b.Type {
		case document.Section, document.Synopsis, document.Note:
		case document.PageBreak:
			newPage = len(us) > 0
		case document.Character:
			s, n := speechOf(d[i:], &f.el)
			i += n - 1
			if i+1 < len(d) && d[i+1].Type == document.Character && d[i+1].Dual {
				right, n := speechOf(d[i+1:], &f.dual[1])
				i += n
				s.el = &f.dual[0]
				add(dualUnit(s, right))
				continue
			}
			add(s.unit())
		case document.SceneHeading:
			u := f.fixed(kHeading, oneLine(blockText(b.Children)))
			if f.sceneNumbers && b.SceneNumber != "" && len(u.rows) > 0 {
				n := plain(b.SceneNumber, 0)
				u.rows[0] = append(row{{kind: kSceneNumber, col: 10, text: n}}, u.rows[0]...)
				u.rows[0] = append(u.rows[0], seg{kind: kSceneNumber, col: 76, text: n})
			}
			u.keep = true
			add(u)
		case document.ActHeading:
			u := f.fixed(kActHeading, oneLine(blockText(b.Children)))
			u.keep = true
			u.newPage = f.actNewPage
			add(u)
		case document.Shot:
			u := f.fixed(kShot, oneLine(blockText(b.Children)))
			u.keep = true
			add(u)
		case document.Transition:
			// A transition closes what comes before it: never the first line
			// of a page.
			if len(us) > 0 && !newPage {
				us[len(us)-1].keep = true
			}
			add(f.fixed(kTransition, oneLine(blockText(b.Children))))
		case document.Centered:
			add(f.fixed(kCentered, trimSpace(blockText(b.Children))))
		case document.SceneBreak:
			add(f.fixed(kCentered, plain("* * *", 0)))
		case document.Lyrics:
			add(f.flowing(kLyrics, blockText(b.Children)))
		case document.Parenthetical:
			add(f.fixed(kParen, oneLine(blockText(b.Children))))
		case document.Dialogue:
			add(f.flowing(kDialogue, trimSpace(blockText(b.Children))))
		case document.StageDirection:
			add(f.flowing(kStageDirection, blockText(b.Children)))
		case document.Image:
			if b.Alt != "" {
				add(f.flowing(kAction, plain(b.Alt, 0)))
			}
		default: // action, and prose blocks in a script
			add(f.flowing(kAction, blockText(b.Children)))
		}
	}
	return us
}

// fixed returns an element that is never split.
func (f *format) fixed(k kind, t text) *unit {
	e := f.el[k]
	return &unit{before: e.before, rows: e.lines(k, t)}
}

// flowing returns an element that may split between sentences (or, loose,
// between any of its lines) with at least two lines on each side.
func (f *format) flowing(k kind, t text) *unit {
	e := f.el[k]
	u := &unit{before: e.before, rows: e.lines(k, t)}
	u.cands = func(loose bool, limit int) []cand {
		var cs []cand
		if loose {
			for n := 1; n < len(u.rows) && n <= limit; n++ {
				rest := u.rows[n:]
				cs = append(cs, cand{head: u.rows[:n], tail: func() *unit { return &unit{rows: rest} }})
			}
			return cs
		}
		for _, at := range sentenceBreaks(t) {
			head, tail := e.lines(k, trimRight(t[:at])), t[at:]
			if len(head) > limit || len(head) >= len(u.rows) {
				break
			}
			if len(head) < 2 {
				continue
			}
			if rest := e.lines(k, tail); len(rest) >= 2 {
				cs = append(cs, cand{head: head, tail: func() *unit { return f.flowing(k, tail) }})
			}
		}
		return cs
	}
	return u
}

// speech is a character cue and the parentheticals and dialogue under it.
type speech struct {
	el    *[nKinds]elemFormat // the formats: a page's, or a dual column's
	cue   text
	cont  bool // the speech goes on from the page before: "NAME (CONT'D)"
	parts []part
}

type part struct {
	kind kind // kParen or kDialogue
	text text
}

// speechOf reads the speech that starts with the cue bs[0] and returns it
// with the number of blocks it spans. Notes inside it are skipped.
func speechOf(bs []document.Block, el *[nKinds]elemFormat) (speech, int) {
	s := speech{el: el, cue: oneLine(blockText(bs[0].Children))}
	n := 1
	for ; n < len(bs); n++ {
		switch bs[n].Type {
		case document.Parenthetical:
			s.parts = append(s.parts, part{kParen, oneLine(blockText(bs[n].Children))})
		case document.Dialogue:
			s.parts = append(s.parts, part{kDialogue, trimSpace(blockText(bs[n].Children))})
		case document.Note:
		default:
			return s, n
		}
	}
	return s, n
}

const contd = "(CONT'D)"

// rows lays the speech out; dialogue counts its lines of dialogue.
func (s speech) rows() (rows []row, dialogue int) {
	cue := s.cue
	if s.cont && !strings.HasSuffix(strings.ToUpper(cue.String()), contd) {
		cue = append(append(text{}, cue...), plain(" "+contd, 0)...)
	}
	rows = s.el[kCue].lines(kCue, cue)
	for _, p := range s.parts {
		r := s.el[p.kind].lines(p.kind, p.text)
		if p.kind == kDialogue {
			dialogue += len(r)
		}
		rows = append(rows, r...)
	}
	return rows, dialogue
}

func (s speech) unit() *unit {
	rows, _ := s.rows()
	u := &unit{before: s.el[kCue].before, rows: rows}
	u.cands = s.cands
	return u
}

// cands lists the places a speech may break across pages with a head of at
// most limit rows: before a parenthetical or a dialogue block, or between two
// sentences of dialogue, with at least two lines of dialogue on each side and
// dialogue (not a parenthetical) last on the page. The head ends with
// "(MORE)"; the tail opens with "NAME (CONT'D)". Loose splits break between
// any two lines of dialogue instead and leave at least one line a side.
func (s speech) cands(loose bool, limit int) []cand {
	least := 2
	if loose {
		least = 1
	}
	more := s.el[kMore].lines(kMore, plain("(MORE)", 0))
	var cs []cand
	// try adds the split into head and tail parts if it is allowed, and
	// reports false once heads grow past the limit.
	try := func(head, tail []part) bool {
		if len(head) == 0 || len(tail) == 0 {
			return true
		}
		h := speech{el: s.el, cue: s.cue, cont: s.cont, parts: head}
		hr, hd := h.rows()
		if len(hr)+len(more) > limit {
			return false
		}
		if head[len(head)-1].kind != kDialogue || hd < least {
			return true
		}
		t := speech{el: s.el, cue: s.cue, cont: true, parts: tail}
		if _, td := t.rows(); td >= least {
			cs = append(cs, cand{head: append(hr, more...), tail: t.unit})
		}
		return true
	}
	for p, pt := range s.parts {
		if p > 0 && !try(s.parts[:p], s.parts[p:]) {
			return cs
		}
		if pt.kind != kDialogue {
			continue
		}
		for _, at := range s.breaks(pt.text, loose) {
			head := append(append([]part{}, s.parts[:p]...), part{kDialogue, trimRight(pt.text[:at])})
			tail := append([]part{{kDialogue, pt.text[at:]}}, s.parts[p+1:]...)
			if !try(head, tail) {
				return cs
			}
		}
	}
	return cs
}

// breaks returns where dialogue may split: between sentences, or with loose
// set between any two of its lines.
func (s speech) breaks(t text, loose bool) []int {
	if !loose {
		return sentenceBreaks(t)
	}
	var out []int
	for _, sp := range wrapSpans(t, s.el[kDialogue].width)[1:] {
		out = append(out, sp.start)
	}
	return out
}

// dualUnit sets two speeches side by side. Dual dialogue is never split.
func dualUnit(left, right speech) *unit {
	l, _ := left.rows()
	r, _ := right.rows()
	rows := make([]row, max(len(l), len(r)))
	for i := range rows {
		if i < len(l) {
			rows[i] = append(rows[i], l[i]...)
		}
		if i < len(r) {
			rows[i] = append(rows[i], r[i]...)
		}
	}
	return &unit{before: left.el[kCue].before, rows: rows}
}
