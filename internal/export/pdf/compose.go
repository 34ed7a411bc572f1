package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

// geometry is the page design both writers share; the print book and the
// reading PDF differ only in these settings.
type geometry struct {
	width, height   float64
	inside, outside float64 // the left and right margins when not mirrored
	top, bottom     float64
	mirrored        bool    // verso pages swap inside and outside
	size, leading   float64 // body type
	justify         bool
	hyphenate       bool
	rectoOpeners    bool    // chapters open on odd pages, after a blank verso if need be
	runningHeads    bool    // book title on versos, chapter title on rectos
	folioCentred    bool    // page numbers at the foot's centre, not its outside corner
	copyrightPage   bool    // a copyright page after the title page (else a line under the title)
	sink            float64 // how far down an opener's text starts, as a share of the text block
	copyrightYear   int
}

func (g geometry) grid() grid {
	h := g.height - g.top - g.bottom
	return grid{first: g.top + g.size, leading: g.leading, lines: int(math.Floor((h-g.size)/g.leading)) + 1}
}

// composer typesets one book with one geometry.
type composer struct {
	g       geometry
	s       *setter
	b       *export.Book
	lay     *layout
	grid    grid
	measure float64
}

// compose lays out the whole book: front matter, then each chapter.
func compose(b *export.Book, g geometry, s *setter) *layout {
	c := &composer{g: g, s: s, b: b, grid: g.grid(), measure: g.width - g.inside - g.outside}
	c.lay = &layout{width: g.width, height: g.height, inside: g.inside, outside: g.outside, measure: c.measure, mirrored: g.mirrored}
	c.titlePage()
	if g.copyrightPage {
		c.copyrightPage()
	}
	for i := range b.Chapters {
		c.chapter(i)
	}
	c.decorate()
	return c.lay
}

func (c *composer) addPage(kind pageKind, chapter int) *page {
	p := &page{number: len(c.lay.pages) + 1, kind: kind, chapter: chapter}
	c.lay.pages = append(c.lay.pages, p)
	return p
}

// centred sets text as centred lines of the measure.
func (c *composer) centred(segs []segment, size float64) []line {
	return c.s.paragraph(segs, paraStyle{size: size, align: alignCenter}, c.measure)
}

// stack places lines on p with their baselines step apart, the first at y,
// and returns the baseline after the last.
func stack(p *page, r role, lines []line, y, step float64) float64 {
	for _, ln := range lines {
		p.lines = append(p.lines, placed{y: y, role: r, line: ln})
		y += step
	}
	return y
}

func (c *composer) titlePage() {
	p := c.addPage(pageTitle, 0)
	size := c.g.size
	textTop, textH := c.g.top, c.g.height-c.g.top-c.g.bottom
	y := textTop + textH*0.22
	title := c.b.Title
	if title == "" {
		title = "Untitled"
	}
	y = stack(p, roleFront, c.centred([]segment{{text: title}}, size*2.4), y, size*2.9)
	if c.b.Subtitle != "" {
		y = stack(p, roleFront, c.centred([]segment{{text: c.b.Subtitle, look: look{italic: true}}}, size*1.35), y+size*0.6, size*1.7)
	}
	if c.b.Author != "" {
		stack(p, roleFront, c.centred([]segment{{text: c.b.Author}}, size*1.45), math.Max(y+size*3, textTop+textH*0.5), size*1.8)
	}
	if !c.g.copyrightPage {
		lines := c.centred([]segment{{text: c.copyrightLine()}}, size*0.8)
		stack(p, roleFront, lines, c.g.height-c.g.bottom-float64(len(lines)-1)*size, size)
	}
}

func (c *composer) copyrightLine() string {
	var parts []string
	parts = append(parts, "Copyright ©")
	if c.g.copyrightYear > 0 {
		parts = append(parts, strconv.Itoa(c.g.copyrightYear))
	}
	if c.b.Author != "" {
		parts = append(parts, c.b.Author)
	}
	return strings.Join(parts, " ")
}

func (c *composer) copyrightPage() {
	p := c.addPage(pageCopyright, 0)
	size := c.g.size * 0.85
	paras := []string{c.copyrightLine(), "All rights reserved.", "", "Set in EB Garamond."}
	var lines []line
	for _, t := range paras {
		if t == "" {
			lines = append(lines, line{})
			continue
		}
		lines = append(lines, c.s.paragraph([]segment{{text: t}}, paraStyle{size: size, align: alignLeft}, c.measure)...)
	}
	step := size * 1.35
	stack(p, roleFront, lines, c.g.height-c.g.bottom-float64(len(lines)-1)*step, step)
}

// chapterTitle is what the opener and the recto running head show.
func chapterTitle(ch export.Chapter) string {
	if t := strings.TrimSpace(ch.Title); t != "" {
		return t
	}
	return fmt.Sprintf("Chapter %d", ch.Number)
}

func (c *composer) chapter(i int) {
	ch := c.b.Chapters[i]
	if c.g.rectoOpeners && len(c.lay.pages)%2 == 1 {
		c.addPage(pageBlank, 0) // the next page would be a verso
	}
	p := c.addPage(pageOpener, i+1)
	slot := c.opener(p, ch)
	pg := &paginator{g: c.grid, page: p, slot: slot, twoSided: c.g.mirrored,
		nextPage: func() *page { return c.addPage(pageBody, i+1) }}
	pg.flow(c.blocks(ch.Doc, chapterTitle(ch)))
}

// opener sets the chapter heading in the sink at the top of p and returns the
// grid line the text starts on: about a third of the way down the page. A
// title that already says "Chapter …" is set alone; otherwise the chapter's
// number stands above it.
func (c *composer) opener(p *page, ch export.Chapter) int {
	size := c.g.size
	title := chapterTitle(ch)
	titleLines := c.centred([]segment{{text: title}}, size*1.6)
	var numLines []line
	if !strings.HasPrefix(strings.ToLower(title), "chapter") && ch.Number > 0 {
		numLines = c.centred([]segment{{text: strconv.Itoa(ch.Number)}}, size*2.2)
	}
	titleStep := size * 2
	height := float64(len(titleLines)-1) * titleStep
	if len(numLines) > 0 {
		height += size * 3.4
	}
	slot := int(math.Round(float64(c.grid.lines) * c.g.sink))
	// The title's last baseline sits three grid lines above the text; a long
	// title pushes the text down.
	for slot < c.grid.lines-2 && c.grid.baseline(slot-3)-height < c.g.top+size*2.2 {
		slot++
	}
	y := c.grid.baseline(slot-3) - height
	if len(numLines) > 0 {
		stack(p, roleHeading, numLines, y, 0)
		y += size * 3.4
	}
	stack(p, roleHeading, titleLines, y, titleStep)
	return slot
}

// blocks turns a chapter's document into the blocks of its flow.
func (c *composer) blocks(doc document.Doc, title string) []block {
	size := c.g.size
	align := alignJustify
	if !c.g.justify {
		align = alignLeft
	}
	var out []block
	indent := false // the first paragraph after a heading or break is not indented
	listNumber := map[int]int{}
	for i, blk := range doc {
		segs := segments(blk)
		switch blk.Type {
		case document.SceneBreak, document.PageBreak, document.Image:
		default:
			if isBlank(segs) {
				continue
			}
		}
		if blk.ListStyleType == "" {
			clear(listNumber)
		}
		switch blk.Type {
		case document.Heading1, document.Heading2, document.Heading3:
			text := plain(segs)
			if i == 0 && strings.EqualFold(strings.TrimSpace(text), strings.TrimSpace(title)) {
				continue // the opener already shows it
			}
			hs := size * 1.2
			if blk.Type == document.Heading3 {
				hs = size
			}
			for j := range segs {
				segs[j].look.italic = true
			}
			out = append(out, block{kind: blockKeep, role: roleHeading, lines: c.centred(segs, hs), spaceBefore: 1, spaceAfter: 1})
			indent = false
		case document.SceneBreak:
			if len(out) > 0 && out[len(out)-1].role != roleOrnament {
				out = append(out, block{kind: blockKeep, role: roleOrnament, lines: c.centred([]segment{{text: c.ornament()}}, size*1.4), spaceBefore: 1, spaceAfter: 1})
			}
			indent = false
		case document.PageBreak:
			out = append(out, block{kind: blockPageBreak})
			indent = false
		case document.Image:
			// The book carries no image data, so the caption (or the alt
			// text) stands in its place rather than vanishing.
			text := blk.Caption
			if text == "" {
				text = blk.Alt
			}
			if text == "" {
				continue
			}
			out = append(out, block{kind: blockText, role: roleText, spaceBefore: 1, spaceAfter: 1,
				lines: c.centred([]segment{{text: text, look: look{italic: true}}}, size)})
			indent = false
		case document.Blockquote:
			inset := size * 1.5
			lines := c.s.paragraph(segs, paraStyle{size: size, align: align, hyphenate: c.g.hyphenate}, c.measure-2*inset)
			shift(lines, inset)
			b := block{kind: blockText, role: roleText, lines: lines}
			if i == 0 || doc[i-1].Type != document.Blockquote {
				b.spaceBefore = 1
			}
			if i == len(doc)-1 || doc[i+1].Type != document.Blockquote {
				b.spaceAfter = 1
			}
			out = append(out, b)
			indent = false
		default:
			ps := paraStyle{size: size, align: align, hyphenate: c.g.hyphenate}
			switch blk.Align {
			case document.AlignCenter:
				ps.align = alignCenter
			case document.AlignRight:
				ps.align = alignRight
			case document.AlignLeft:
				ps.align = alignLeft
			}
			inset := float64(blk.Indent) * size * 1.5
			if indent && inset == 0 && ps.align == align {
				ps.indent = size
			}
			lines := c.s.paragraph(segs, ps, c.measure-inset)
			shift(lines, inset)
			if blk.ListStyleType != "" && len(lines) > 0 {
				c.marker(&lines[0], blk, listNumber, size)
			}
			out = append(out, block{kind: blockText, role: roleText, lines: lines})
			indent = true
		}
	}
	for len(out) > 0 && (out[len(out)-1].role == roleOrnament || out[len(out)-1].kind == blockPageBreak) {
		out = out[:len(out)-1]
	}
	return out
}

// marker hangs a list item's bullet or number to the left of its first line.
func (c *composer) marker(first *line, blk document.Block, numbers map[int]int, size float64) {
	text := "•"
	if blk.ListStyleType == document.ListDecimal {
		n := blk.ListStart
		if n == 0 {
			n = numbers[blk.Indent] + 1
		}
		numbers[blk.Indent] = n
		text = strconv.Itoa(n) + "."
	}
	var pcs []piece
	x := 0.0
	c.s.tf.resolve(text, span{size: size}, func(t string, sp span) {
		w := c.s.tf.width(sp, t)
		pcs = append(pcs, piece{x: x, w: w, text: t, sp: sp})
		x += w
	})
	gap := size * 0.5
	for j := range pcs {
		pcs[j].x -= x + gap
	}
	first.pieces = append(pcs, first.pieces...)
}

// ornament is the scene-break mark: a hedera (floral heart) if the face has
// one, which EB Garamond does.
func (c *composer) ornament() string {
	if c.s.tf.cover[regular].has('❦') {
		return "❦"
	}
	return "*\u00A0\u00A0*\u00A0\u00A0*"
}

// decorate adds running heads and folios.
func (c *composer) decorate() {
	headSize, folioSize := c.g.size*0.85, c.g.size*0.85
	headY := c.g.top - c.g.leading*1.6
	folioY := c.g.height - c.g.bottom + c.g.leading*1.8
	for _, p := range c.lay.pages {
		if p.kind != pageBody && p.kind != pageOpener {
			continue
		}
		if c.g.runningHeads && p.kind == pageBody {
			text := c.b.Title
			if p.number%2 == 1 {
				text = chapterTitle(c.b.Chapters[p.chapter-1])
			}
			if ln, ok := c.head(text, headSize); ok {
				p.lines = append(p.lines, placed{y: headY, role: roleHead, line: ln})
			}
		}
		ln := c.s.paragraph([]segment{{text: strconv.Itoa(p.number)}}, paraStyle{size: folioSize, align: alignLeft}, c.measure)[0]
		switch {
		case c.g.folioCentred:
			ln.x = (c.measure - ln.width) / 2
		case c.g.mirrored && p.number%2 == 0:
			ln.x = 0
		default:
			ln.x = c.measure - ln.width
		}
		p.lines = append(p.lines, placed{y: folioY, role: roleFolio, line: ln})
	}
}

// head sets a running head on one centred line, shortening it with an
// ellipsis when it is too long.
func (c *composer) head(text string, size float64) (line, bool) {
	words := strings.Fields(text)
	for n := len(words); n > 0; n-- {
		t := strings.Join(words[:n], " ")
		if n < len(words) {
			t = strings.TrimRight(t, ",;:.—–-") + "…"
		}
		ps := paraStyle{size: size, align: alignCenter}
		lines := c.s.paragraph([]segment{{text: t, look: look{italic: true}}}, ps, c.measure*0.8)
		if len(lines) == 1 {
			lines[0].x = (c.measure - lines[0].width) / 2
			return lines[0], true
		}
	}
	return line{}, false
}

func shift(lines []line, dx float64) {
	for i := range lines {
		lines[i].x += dx
	}
}

// segments returns a block's text runs with the looks their marks ask for.
// Links print as their text.
func segments(blk document.Block) []segment {
	var out []segment
	add := func(l document.Leaf) {
		if l.Text == "" {
			return
		}
		out = append(out, segment{text: l.Text, look: look{
			bold: l.Bold, italic: l.Italic, underline: l.Underline, strike: l.Strikethrough,
			super: l.Superscript, sub: l.Subscript,
		}})
	}
	for _, in := range blk.Children {
		if in.Link != nil {
			for _, l := range in.Link.Children {
				add(l)
			}
			continue
		}
		add(in.Leaf)
	}
	return out
}

func plain(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
	}
	return b.String()
}

func isBlank(segs []segment) bool {
	return strings.TrimSpace(plain(segs)) == ""
}
