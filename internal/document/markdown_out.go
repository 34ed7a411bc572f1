package document

import (
	"strconv"
	"strings"
)

// Markdown renders the document as CommonMark (with GitHub's ~~strikethrough~~)
// such that FromMarkdown reads it back to the same document, for documents made
// of prose blocks with the marks bold, italic, strikethrough and code and with
// links. It escapes Markdown syntax in the text (with backslashes, and with
// numeric character references where CommonMark's emphasis rules or its
// stripping of leading and trailing spaces need them).
//
// Markdown cannot carry, and so drops: the marks underline, superscript,
// subscript and highlight; the ai provenance mark; align; element ids; the
// indent of paragraphs that are not list items; the listStart of disc items;
// empty paragraphs; and the code mark on line breaks. Screenplay and stage
// blocks become plain paragraphs of their text, page breaks vanish.
//
// Each block is a paragraph of its own; list items are paragraphs with a list
// style and an indent level (deeper levels than the previous item allows are
// rendered one level deeper than it); a scene break is "* * *"; an image is
// ![alt](authorworks-file:FILE_ID "caption").
func (d Doc) Markdown() string {
	w := mdWriter{}
	for i := range d {
		w.block(&d[i])
	}
	if w.out.Len() == 0 {
		return ""
	}
	w.out.WriteByte('\n')
	return w.out.String()
}

// fileScheme is the URL scheme Markdown uses for images stored as files.
const fileScheme = "authorworks-file:"

type mdList struct {
	decimal bool
	delim   byte // '.' or ')' for decimal lists
	number  int  // the number of the last item
	width   int  // the indent of the item's content, relative to its marker
	empty   bool // the last item has no text
}

// mdLists tracks the open lists while blocks are written as Markdown.
type mdLists []mdList

// mdItem is where a list item goes.
type mdItem struct {
	level     int     // the indent level it is written at (1 is outermost)
	number    int     // its number, for decimal items
	prev      *mdList // the list already open at that level, if any
	continues bool    // it continues prev rather than starting a new list
}

// place decides the level and number of the list item b. Levels deeper than
// one below the open lists are written one level below them, and a list of
// the other kind (disc or decimal) inside an empty item beside it. A decimal item
// is numbered by its listStart, or else continues the numbering of a decimal
// list open at its level, or else is 1. It continues that list when the
// number follows on; otherwise a new list starts.
func (ls mdLists) place(b *Block) mdItem {
	it := mdItem{level: max(1, min(b.Indent, len(ls)+1)), number: 1}
	decimal := b.ListStyleType == ListDecimal
	if n := len(ls); it.level > n && n > 0 && ls[n-1].empty && ls[n-1].decimal != decimal {
		// goldmark ends an empty item at a list of the other kind, so such
		// a list is written beside the empty item rather than inside it.
		it.level = n
	}
	if it.level <= len(ls) {
		it.prev = &ls[it.level-1]
	}
	if decimal && it.prev != nil && it.prev.decimal {
		it.number = it.prev.number + 1
	}
	if decimal && b.ListStart > 0 {
		it.number = b.ListStart
	}
	it.number = min(it.number, MaxListStart)
	it.continues = it.prev != nil && it.prev.decimal == decimal && (!decimal || it.number == it.prev.number+1)
	return it
}

// mdInvisible reports whether Markdown writes nothing for b (and so b does not
// end an open list).
func mdInvisible(b *Block) bool {
	switch b.Type {
	case PageBreak:
		return true
	case SceneBreak, Image, Heading1, Heading2, Heading3, Blockquote:
		return false
	}
	return b.ListStyleType == "" && b.empty()
}

type mdWriter struct {
	out   strings.Builder
	lists mdLists // the open lists, outermost first; nil outside a list
}

func (w *mdWriter) sep(s string) {
	if w.out.Len() > 0 {
		w.out.WriteString(s)
	}
}

func (w *mdWriter) block(b *Block) {
	if mdInvisible(b) {
		return
	}
	if b.Type == Paragraph && b.ListStyleType != "" {
		w.listItem(b)
		return
	}
	w.lists = nil
	w.sep("\n\n")
	switch b.Type {
	case SceneBreak:
		w.out.WriteString("* * *")
	case Image:
		w.image(b)
	case Heading1, Heading2, Heading3:
		w.out.WriteString(strings.Repeat("#", int(b.Type[1]-'0')))
		if !b.empty() {
			w.out.WriteByte(' ')
			w.inlines(b.Children, mdHeading, "")
		}
	case Blockquote:
		if b.empty() {
			w.out.WriteString(">")
			return
		}
		w.out.WriteString("> ")
		w.inlines(b.Children, mdBody, "> ")
	case Paragraph:
		w.inlines(b.Children, mdBody, "")
	default:
		w.inlines([]Inline{Text(b.blockText())}, mdBody, "")
	}
}

func (w *mdWriter) image(b *Block) {
	w.out.WriteString("![")
	w.inlines([]Inline{Text(b.Alt)}, mdHeading, "")
	w.out.WriteString("](")
	w.out.WriteString(fileScheme)
	w.out.WriteString(strings.ToLower(b.FileID))
	if b.Caption != "" {
		w.out.WriteString(` "`)
		for _, r := range b.Caption {
			switch r {
			case '"', '\\':
				w.out.WriteByte('\\')
				w.out.WriteRune(r)
			case '&':
				w.out.WriteString(`\&`)
			case '\n':
				w.out.WriteString("&#10;")
			default:
				w.out.WriteRune(r)
			}
		}
		w.out.WriteByte('"')
	}
	w.out.WriteByte(')')
}

// listItem renders a paragraph that is a list item.
func (w *mdWriter) listItem(b *Block) {
	it := w.lists.place(b)
	switch {
	case len(w.lists) == 0:
		w.sep("\n\n")
	case it.continues:
		w.out.WriteByte('\n')
	case w.lists[len(w.lists)-1].empty:
		// Whatever follows an empty item must follow it directly: a blank
		// line would end the item and (in goldmark) the items around it.
		w.out.WriteByte('\n')
	case it.level > len(w.lists) && !b.empty() && (b.ListStyleType == ListDisc || it.number == 1):
		// A first child list may interrupt the item's text when its first
		// item has text and, if numbered, starts at 1.
		w.out.WriteByte('\n')
	default:
		// A new list, or the first child list of an item with text: a blank
		// line keeps it from reading as that text's continuation.
		w.out.WriteString("\n\n")
	}
	indent := 0
	for _, l := range w.lists[:it.level-1] {
		indent += l.width
	}
	item := mdList{decimal: b.ListStyleType == ListDecimal, number: it.number, empty: b.empty()}
	marker := "-"
	if item.decimal {
		item.delim = '.'
		if it.prev != nil && it.prev.decimal {
			item.delim = it.prev.delim
			if !it.continues {
				item.delim = '.' + ')' - it.prev.delim // another delimiter starts a new list
			}
		}
		if n := len(w.lists); it.prev == nil && n > 0 && w.lists[n-1].empty {
			item.delim = w.lists[n-1].delim // goldmark nests only the same marker in an empty item
		}
		marker = strconv.Itoa(it.number) + string(item.delim)
	}
	item.width = len(marker) + 1
	w.lists = append(w.lists[:it.level-1], item)

	pad := strings.Repeat(" ", indent)
	w.out.WriteString(pad)
	w.out.WriteString(marker)
	if !item.empty {
		w.out.WriteByte(' ')
		w.inlines(b.Children, mdBody, pad+strings.Repeat(" ", item.width))
	}
}
