package script

// unit is what the paginator places on a page as a whole or splits across
// two: one element, one speech (a cue with its parentheticals and dialogue),
// or a block of dual dialogue.
type unit struct {
	before  int   // blank lines before it, dropped at the top of a page
	rows    []row // the unit laid out whole
	keep    bool  // it must share its page with the start of the next unit
	newPage bool  // it starts a new page
	// cands lists the ways the unit may be split with a head of at most
	// limit rows, in the order of the text; nil when it may not be split.
	// With loose set it lists the splits the conventions advise against
	// instead (not at a sentence end, fewer than two lines on a side), for
	// units that cannot be placed otherwise.
	cands func(loose bool, limit int) []cand

	strict      []cand // cands(false, strictLimit), once computed
	strictLimit int
}

// cand is one way to split a unit: the rows that end the page and the unit
// that opens the next.
type cand struct {
	head []row
	tail func() *unit
}

func (u *unit) candidates(loose bool, limit int) []cand {
	if u.cands == nil {
		return nil
	}
	if loose {
		return u.cands(true, limit)
	}
	if u.strictLimit != limit {
		u.strict, u.strictLimit = u.cands(false, limit), limit
	}
	return u.strict
}

// best returns the split whose head fills most of avail rows; of two that
// fill as many, the later, which puts more text on the page.
func (u *unit) best(avail int, loose bool, lines int) (cand, bool) {
	var c cand
	ok := false
	for _, k := range u.candidates(loose, lines) {
		if len(k.head) <= avail && (!ok || len(k.head) >= len(c.head)) {
			c, ok = k, true
		}
	}
	return c, ok
}

// tall reports whether the unit is taller than a page and has no split that
// follows the conventions: it will be split anyhow.
func (u *unit) tall(lines int) bool {
	return len(u.rows) > lines && len(u.candidates(false, lines)) == 0
}

// minHead is the fewest rows the unit can end a page with: its smallest
// split, or all of it.
func (u *unit) minHead(lines int) int {
	n := len(u.rows)
	loose := u.tall(lines)
	for _, k := range u.candidates(loose, lines) {
		n = min(n, len(k.head))
	}
	return n
}

// paginate fills pages of lines rows with the units in order. A unit goes
// whole on the current page if it fits there together with the start of the
// units it keeps with; otherwise the split that fills most of the page ends
// it; otherwise the unit opens the next page. A unit that cannot be placed so
// even on an empty page is split anyhow. Pages are not numbered here.
func paginate(units []*unit, lines int) []page {
	var pages []page
	var cur []row
	flush := func() {
		pages = append(pages, page{rows: cur})
		cur = nil
	}
	for i := 0; i < len(units); i++ {
		u := units[i]
		if u.newPage && len(cur) > 0 {
			flush()
		}
		gap := 0
		if len(cur) > 0 {
			gap = u.before
		}
		avail := lines - len(cur) - gap
		need := len(u.rows)
		if u.keep {
			need += chain(units, i+1, lines)
		}
		if need <= avail {
			cur = append(cur, make([]row, gap)...)
			cur = append(cur, u.rows...)
			continue
		}
		c, ok := u.best(avail, false, lines)
		if !ok && len(cur) > 0 && !u.tall(lines) {
			flush()
			i--
			continue
		}
		// The page is empty, or the unit will be split anyhow: fill the
		// page rather than leave it short.
		if !ok {
			c, ok = u.best(avail, true, lines)
		}
		if !ok && len(cur) > 0 {
			flush()
			i--
			continue
		}
		if !ok {
			if len(u.rows) <= avail {
				// It fits alone but not with what it keeps with.
				cur = append(cur, u.rows...)
				continue
			}
			rest := u.rows[avail:]
			c = cand{head: u.rows[:avail], tail: func() *unit { return &unit{rows: rest} }}
		}
		cur = append(cur, make([]row, gap)...)
		cur = append(cur, c.head...)
		flush()
		units[i] = tailOf(u, c)
		i--
	}
	if len(cur) > 0 {
		flush()
	}
	return pages
}

// tailOf returns the unit that continues u on the next page after split c.
func tailOf(u *unit, c cand) *unit {
	t := c.tail()
	t.before, t.newPage, t.keep = 0, false, u.keep
	return t
}

// chain is how many rows must follow a unit that keeps with the next: the
// next unit's spacing and smallest head, and, when that is all of it and it
// keeps with the next in turn, the same for the one after.
func chain(units []*unit, j, lines int) int {
	if j >= len(units) || units[j].newPage {
		return 0
	}
	u := units[j]
	h := u.minHead(lines)
	n := u.before + h
	if u.keep && h == len(u.rows) {
		n += chain(units, j+1, lines)
	}
	return n
}
