package xhtml

import (
	"strconv"

	"github.com/authorworks/authorworks/internal/document"
)

// Plate writes a list as a run of paragraphs, each with an indent level and a
// list style; a paragraph with an indent but no style continues the item of
// its level. The renderer rebuilds the nesting with a stack of open lists,
// each with its last <li> left open for nested lists and continuations.

// continuesList reports whether b belongs inside the lists open now: a list
// item, or a paragraph continuing the item open at its indent level.
func (r *renderer) continuesList(b *document.Block) bool {
	if b.Type != document.Paragraph || len(r.lists) == 0 {
		return false
	}
	if b.ListStyleType != "" {
		return true
	}
	for _, l := range r.lists {
		if l.level == b.Indent {
			return true
		}
	}
	return false
}

// listItem opens the <li> for a list paragraph, opening or closing lists to
// reach its level.
func (r *renderer) listItem(b *document.Block) {
	level := max(b.Indent, 1)
	ordered := b.ListStyleType == document.ListDecimal
	r.closeLists(level)
	n := len(r.lists)
	if n > 0 && r.lists[n-1].level == level && r.lists[n-1].ordered != ordered {
		r.closeLists(level - 1)
		n = len(r.lists)
	}
	if n > 0 && r.lists[n-1].level == level {
		top := &r.lists[n-1]
		r.str("</li>\n<li")
		if ordered && b.ListStart != 0 && b.ListStart != top.next {
			r.str(` value="` + strconv.Itoa(b.ListStart) + `"`)
			top.next = b.ListStart
		}
		r.str(">")
		top.next++
	} else {
		start := max(b.ListStart, 1)
		switch {
		case !ordered:
			r.str("<ul>\n<li>")
		case start != 1:
			r.str(`<ol start="` + strconv.Itoa(start) + "\">\n<li>")
		default:
			r.str("<ol>\n<li>")
		}
		r.lists = append(r.lists, openList{level: level, ordered: ordered, next: start + 1})
	}
	r.inlines(b.Children)
}

// closeLists closes the lists deeper than level (all of them for 0). A
// paragraph continuing an item is written inside it by block, after the lists
// nested in that item are closed here.
func (r *renderer) closeLists(level int) {
	for n := len(r.lists); n > 0 && r.lists[n-1].level > level; n = len(r.lists) {
		if r.lists[n-1].ordered {
			r.str("</li>\n</ol>\n")
		} else {
			r.str("</li>\n</ul>\n")
		}
		r.lists = r.lists[:n-1]
	}
}
