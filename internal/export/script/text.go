package script

import (
	"strings"
	"unicode"

	"github.com/authorworks/authorworks/internal/document"
)

// style is the set of marks a script prints: bold, italic and underline.
type style uint8

const (
	bold style = 1 << iota
	italic
	underline
)

// cell is one character of element text on the grid with its style. Every
// rune takes one column: the grid is Courier-metric, 10 characters an inch.
type cell struct {
	r  rune
	st style
}

// text is a run of cells: an element's text, or one wrapped line of it.
type text []cell

func (t text) String() string {
	var b strings.Builder
	for _, c := range t {
		b.WriteRune(c.r)
	}
	return b.String()
}

func leafStyle(lf document.Leaf) style {
	var st style
	if lf.Bold {
		st |= bold
	}
	if lf.Italic {
		st |= italic
	}
	if lf.Underline {
		st |= underline
	}
	return st
}

// blockText flattens a block's leaves (link text included) into cells. Tabs
// become a space; the document model allows no other control character but
// the line feed.
func blockText(children []document.Inline) text {
	var t text
	add := func(lf document.Leaf) {
		st := leafStyle(lf)
		for _, r := range lf.Text {
			if r == '\t' {
				r = ' '
			}
			t = append(t, cell{r, st})
		}
	}
	for _, in := range children {
		if in.Link == nil {
			add(in.Leaf)
			continue
		}
		for _, lf := range in.Link.Children {
			add(lf)
		}
	}
	return t
}

// plain returns s as unstyled cells.
func plain(s string, st style) text {
	t := make(text, 0, len(s))
	for _, r := range s {
		t = append(t, cell{r, st})
	}
	return t
}

// oneLine turns line breaks into spaces and trims the ends: the form of
// single-line elements (headings, cues, parentheticals, transitions).
func oneLine(t text) text {
	out := make(text, len(t))
	copy(out, t)
	for i := range out {
		if out[i].r == '\n' {
			out[i] = cell{' ', 0}
		}
	}
	return trimSpace(out)
}

func trimSpace(t text) text {
	for len(t) > 0 && unicode.IsSpace(t[0].r) {
		t = t[1:]
	}
	return trimRight(t)
}

func trimRight(t text) text {
	for len(t) > 0 && unicode.IsSpace(t[len(t)-1].r) {
		t = t[:len(t)-1]
	}
	return t
}

func upper(t text) text {
	out := make(text, len(t))
	for i, c := range t {
		out[i] = cell{unicode.ToUpper(c.r), c.st}
	}
	return out
}

func addStyle(t text, st style) text {
	if st == 0 {
		return t
	}
	out := make(text, len(t))
	for i, c := range t {
		out[i] = cell{c.r, c.st | st}
	}
	return out
}

// parenthesize wraps t in parentheses unless it already is.
func parenthesize(t text) text {
	if len(t) >= 2 && t[0].r == '(' && t[len(t)-1].r == ')' {
		return t
	}
	out := make(text, 0, len(t)+2)
	out = append(out, cell{'(', 0})
	out = append(out, t...)
	return append(out, cell{')', 0})
}

// wrap breaks t into lines of at most width cells: at its line breaks, and
// between words where a line would overflow. A word longer than the width is
// cut. Trailing spaces are dropped; an empty line stays an empty line, and
// leading spaces of a hard line (action indentation) are kept.
func wrap(t text, width int) []text {
	spans := wrapSpans(t, width)
	lines := make([]text, len(spans))
	for i, s := range spans {
		lines[i] = t[s.start:s.end]
	}
	return lines
}

// span is the cells t[start:end] of one wrapped line.
type span struct{ start, end int }

// wrapSpans is wrap, giving each line as its place in t.
func wrapSpans(t text, width int) []span {
	var lines []span
	start := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i].r != '\n' {
			continue
		}
		lines = wrapLine(lines, t, start, i, width)
		start = i + 1
	}
	return lines
}

// wrapLine wraps the hard line t[start:end].
func wrapLine(lines []span, t text, start, end, width int) []span {
	for end > start && unicode.IsSpace(t[end-1].r) {
		end--
	}
	for end-start > width {
		brk := -1
		for i := start + width; i > start; i-- {
			if t[i].r == ' ' {
				brk = i
				break
			}
		}
		if brk < 0 || len(trimSpace(t[start:brk])) == 0 {
			lines = append(lines, span{start, start + width})
			start += width
			continue
		}
		lines = append(lines, span{start, start + len(trimRight(t[start:brk]))})
		start = brk
		for start < end && t[start].r == ' ' {
			start++
		}
	}
	return append(lines, span{start, end})
}

// sentenceBreaks returns where t may be split between sentences: the index of
// the first cell of each sentence after the first, and of each line after a
// line break. A sentence ends at '.', '?', '!' or '…' (with any closing quotes
// or brackets) followed by a space, except after a common abbreviation or an
// initial ("Mr. Quell", "J. R. Marsh").
func sentenceBreaks(t text) []int {
	var out []int
	for i := 0; i < len(t); i++ {
		if t[i].r == '\n' {
			if rest := trimSpace(t[i+1:]); len(rest) > 0 {
				out = append(out, i+1)
			}
			continue
		}
		if !strings.ContainsRune(".?!…", t[i].r) {
			continue
		}
		j := i + 1
		for j < len(t) && strings.ContainsRune("\"'”’)]", t[j].r) {
			j++
		}
		if j >= len(t) || t[j].r != ' ' {
			continue
		}
		if t[i].r == '.' && abbreviation(t[:i]) {
			continue
		}
		for j < len(t) && t[j].r == ' ' {
			j++
		}
		if j < len(t) && t[j].r != '\n' {
			out = append(out, j)
		}
		i = j - 1
	}
	return out
}

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"mt": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "prof": true,
}

// abbreviation reports whether before ends in a word that a '.' after it
// abbreviates rather than ends a sentence with.
func abbreviation(before text) bool {
	j := len(before)
	for j > 0 && (unicode.IsLetter(before[j-1].r) || before[j-1].r == '.') {
		j--
	}
	w := strings.ToLower(before[j:].String())
	if w == "" {
		return false
	}
	if abbreviations[w] {
		return true
	}
	// An initial, but not "I." or "A.", which end sentences.
	return len([]rune(w)) == 1 && unicode.IsUpper(before[j].r) && w != "i" && w != "a"
}
