package pdf

import (
	"fmt"
	"io"
	"strings"
)

// layout is a typeset document: its pages and what is on each, in points
// from the top left of the page. Writing it with fpdf is a separate, simple
// step (render), so tests can check the typesetting without parsing a PDF.
type layout struct {
	width, height float64 // the page, which is the trim size
	inside        float64 // the margin at the binding (the left one when not mirrored)
	outside       float64
	measure       float64 // the width of the text block
	mirrored      bool    // verso pages swap the side margins
	pages         []*page
}

type pageKind uint8

const (
	pageBody pageKind = iota
	pageOpener
	pageTitle
	pageCopyright
	pageBlank
)

var pageKindNames = [...]string{"body", "opener", "title", "copyright", "blank"}

type page struct {
	number  int // 1-based, and the folio
	kind    pageKind
	chapter int // 1-based index into the book's chapters, 0 for front matter
	lines   []placed
}

// role says what a placed line is, for tests and the dump.
type role uint8

const (
	roleText role = iota
	roleHeading
	roleOrnament
	roleHead  // running head
	roleFolio // page number
	roleFront // title and copyright pages
)

var roleNames = [...]string{"text", "heading", "ornament", "head", "folio", "front"}

// placed is a line at a baseline y on its page; its x is relative to the
// left edge of the text block.
type placed struct {
	y    float64
	role role
	line line
}

// left returns the x of the text block's left edge on p.
func (l *layout) left(p *page) float64 {
	if l.mirrored && p.number%2 == 0 {
		return l.outside
	}
	return l.inside
}

// text returns what a line reads, with a space wherever its pieces do not
// touch.
func (ln line) text() string {
	var b strings.Builder
	end := 0.0
	for i, pc := range ln.pieces {
		if i > 0 && pc.x-end > 0.01 {
			b.WriteByte(' ')
		}
		b.WriteString(pc.text)
		end = pc.x + pc.w
	}
	return b.String()
}

// dump writes the layout as text, one line of the page per line: the golden
// record of the typesetting. Italic pieces are wrapped in /slashes/, bold in
// *stars*, and stroked (faux bold) faces in *stars* too.
func (l *layout) dump(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "page %.2fx%.2f inside %.2f outside %.2f measure %.2f mirrored %t pages %d\n",
		l.width, l.height, l.inside, l.outside, l.measure, l.mirrored, len(l.pages))
	for _, p := range l.pages {
		fmt.Fprintf(&b, "\n== page %d %s", p.number, pageKindNames[p.kind])
		if p.chapter > 0 {
			fmt.Fprintf(&b, " chapter %d", p.chapter)
		}
		b.WriteByte('\n')
		for _, pl := range p.lines {
			fmt.Fprintf(&b, "%7.2f %-8s x%+7.2f w%7.2f r%+5.2f | ", pl.y, roleNames[pl.role], pl.line.x, pl.line.width, pl.line.ratio)
			end := 0.0
			for i, pc := range pl.line.pieces {
				if i > 0 && pc.x-end > 0.01 {
					b.WriteByte(' ')
				}
				open, close := "", ""
				if pc.sp.face == bold || pc.sp.faux {
					open, close = "*", "*"
				}
				if pc.sp.face == italic {
					open, close = open+"/", "/"+close
				}
				b.WriteString(open + pc.text + close)
				end = pc.x + pc.w
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
