package xhtml

import (
	"strings"

	"github.com/authorworks/authorworks/internal/document"
)

// mark is one inline mark, as a bit in a set.
type mark uint8

// The marks in nesting order, outermost first, with their elements.
var marks = [...]struct {
	bit mark
	tag string
	set func(document.Leaf) bool
}{
	{1 << 0, "strong", func(l document.Leaf) bool { return l.Bold }},
	{1 << 1, "em", func(l document.Leaf) bool { return l.Italic }},
	{1 << 2, "u", func(l document.Leaf) bool { return l.Underline }},
	{1 << 3, "s", func(l document.Leaf) bool { return l.Strikethrough }},
	{1 << 4, "mark", func(l document.Leaf) bool { return l.Highlight }},
	{1 << 5, "sup", func(l document.Leaf) bool { return l.Superscript }},
	{1 << 6, "sub", func(l document.Leaf) bool { return l.Subscript }},
	{1 << 7, "code", func(l document.Leaf) bool { return l.Code }},
}

func leafMarks(l document.Leaf) mark {
	var m mark
	for _, k := range marks {
		if k.set(l) {
			m |= k.bit
		}
	}
	return m
}

// inlines writes a block's children. Marks stay open across leaves that share
// them, so "a *b **c** d*" nests instead of repeating <em>.
func (r *renderer) inlines(children []document.Inline) {
	var open []int // indexes into marks, outermost first
	for _, in := range children {
		if in.Link == nil {
			open = r.leaf(open, in.Leaf)
			continue
		}
		open = r.closeMarks(open, 0)
		r.str(`<a href="`)
		r.buf = AppendEscaped(r.buf, in.Link.URL)
		r.str(`">`)
		if linkEmpty(in.Link) {
			r.buf = AppendEscaped(r.buf, in.Link.URL)
		}
		var inner []int
		for _, lf := range in.Link.Children {
			inner = r.leaf(inner, lf)
		}
		r.closeMarks(inner, 0)
		r.str("</a>")
	}
	r.closeMarks(open, 0)
}

// leaf writes one text leaf, closing the open marks it lacks and opening the
// ones it adds; it returns the marks open after it.
func (r *renderer) leaf(open []int, lf document.Leaf) []int {
	if lf.Text == "" {
		return open
	}
	want := leafMarks(lf)
	keep := 0
	var have mark
	for keep < len(open) && want&marks[open[keep]].bit != 0 {
		have |= marks[open[keep]].bit
		keep++
	}
	open = r.closeMarks(open, keep)
	for i, k := range marks {
		if want&k.bit != 0 && have&k.bit == 0 {
			r.str("<" + k.tag + ">")
			open = append(open, i)
		}
	}
	text := lf.Text
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			break
		}
		r.buf = AppendEscaped(r.buf, text[:i])
		r.str("<br/>")
		text = text[i+1:]
	}
	r.buf = AppendEscaped(r.buf, text)
	return open
}

// closeMarks closes the open marks after the first keep.
func (r *renderer) closeMarks(open []int, keep int) []int {
	for i := len(open) - 1; i >= keep; i-- {
		r.str("</" + marks[open[i]].tag + ">")
	}
	return open[:keep]
}

func linkEmpty(l *document.Link) bool {
	for _, lf := range l.Children {
		if lf.Text != "" {
			return false
		}
	}
	return true
}
