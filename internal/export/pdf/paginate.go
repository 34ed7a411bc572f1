package pdf

// Pagination puts a chapter's blocks on pages of a fixed baseline grid, so
// lines back up from one side of the leaf to the other. Its rules:
//
//   - no orphans and no widows: a paragraph broken across pages leaves at
//     least two lines at the foot of one page and two at the head of the
//     next; lines move to the next page to make it so, and the page runs
//     short;
//   - headings and scene-break ornaments stay with the text after them (an
//     ornament may open a page, so a scene change at a page break still
//     shows, but never ends one);
//   - a recto does not end in a hyphen, which would be finished only after
//     the reader turns the leaf;
//   - space before a block is dropped at the top of a page, space after it
//     at the foot.

type blockKind uint8

const (
	blockText      blockKind = iota // a paragraph: split between pages by the rules
	blockKeep                       // a heading or ornament: kept whole and with what follows
	blockPageBreak                  // the next block starts a new page
)

// block is a unit of a chapter's vertical flow. Lines take one grid line each.
type block struct {
	kind        blockKind
	role        role
	lines       []line
	spaceBefore int // grid lines
	spaceAfter  int
}

// grid is the baseline grid of the text block.
type grid struct {
	first   float64 // the baseline of the first line, from the top of the page
	leading float64
	lines   int // lines a full page holds
}

func (g grid) baseline(slot int) float64 { return g.first + float64(slot)*g.leading }

// paginator flows blocks onto pages.
type paginator struct {
	g        grid
	page     *page
	slot     int          // the next free grid line on page
	nextPage func() *page // starts a continuation page
	// twoSided keeps hyphens off the foot of rectos (odd pages).
	twoSided bool
}

// split returns how many lines of an n-line paragraph go on a page with room
// lines left: all if they fit, else as many as leave at least two on each
// side of the break, else none.
func split(n, room int) int {
	if n <= room {
		return n
	}
	k := room
	if n-k < 2 {
		k = n - 2
	}
	if k < 2 {
		return 0
	}
	return k
}

func (p *paginator) breakPage() {
	p.page = p.nextPage()
	p.slot = 0
}

func (p *paginator) place(r role, ln line) {
	p.page.lines = append(p.page.lines, placed{y: p.g.baseline(p.slot), role: r, line: ln})
	p.slot++
}

// flow places the blocks, starting at the current slot.
func (p *paginator) flow(blocks []block) {
	for i, b := range blocks {
		switch b.kind {
		case blockPageBreak:
			if p.slot > 0 {
				p.breakPage()
			}
		case blockText:
			p.text(b)
		case blockKeep:
			var next *block
			if i+1 < len(blocks) {
				next = &blocks[i+1]
			}
			p.keep(b, next)
		}
	}
}

func (p *paginator) text(b block) {
	if p.slot >= p.g.lines {
		p.breakPage()
	}
	if p.slot > 0 {
		p.slot += b.spaceBefore
	}
	lines := b.lines
	for len(lines) > 0 {
		room := p.g.lines - p.slot
		k := split(len(lines), room)
		if k == 0 && p.slot == 0 {
			k = min(len(lines), room) // a page too short for the rules
		}
		// A word hyphenated across a recto's foot is finished overleaf:
		// move the line if the rules allow.
		if k > 2 && k < len(lines) && lines[k-1].hyphenated && p.twoSided && p.page.number%2 == 1 {
			k--
		}
		for _, ln := range lines[:k] {
			p.place(b.role, ln)
		}
		lines = lines[k:]
		if len(lines) > 0 {
			p.breakPage()
		}
	}
	p.slot += b.spaceAfter
}

// keep places a block that must not be split, or end a page: it goes on
// this page only if the first lines of next fit after it.
func (p *paginator) keep(b block, next *block) {
	if p.slot >= p.g.lines {
		p.breakPage()
	}
	fits := func() bool {
		before := b.spaceBefore
		if p.slot == 0 {
			before = 0
		}
		end := p.slot + before + len(b.lines)
		if end > p.g.lines {
			return false
		}
		if next == nil || next.kind != blockText {
			return true
		}
		room := p.g.lines - end - b.spaceAfter - next.spaceBefore
		return split(len(next.lines), room) > 0
	}
	if p.slot > 0 && !fits() {
		p.breakPage()
	}
	if p.slot > 0 {
		p.slot += b.spaceBefore
	}
	for _, ln := range b.lines {
		p.place(b.role, ln)
	}
	p.slot += b.spaceAfter
}
