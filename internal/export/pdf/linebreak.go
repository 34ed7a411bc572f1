package pdf

import "math"

// The line breaker is Knuth and Plass's total-fit algorithm ("Breaking
// Paragraphs into Lines", 1981) as TeX runs it: a paragraph is a list of boxes
// (text), glue (stretchable space) and penalties (places to break, with a
// cost); among every way of breaking it into lines of the measure it picks the
// one with the fewest demerits, so a tight line early can spare a loose one
// later. As in TeX, it first tries without hyphenating, then with, and last
// accepts any line that is not overfull.

type itemKind uint8

const (
	box itemKind = iota
	glue
	penalty
)

// item is one element of a paragraph.
type item struct {
	kind    itemKind
	width   float64
	stretch float64 // glue only
	shrink  float64 // glue only
	fil     bool    // glue only: infinitely stretchable (ends a paragraph or a forced line)
	cost    float64 // penalty only: infBreak forbids, -infBreak forces
	flagged bool    // penalty only: a hyphen, drawn when the line breaks here
	hyphen  bool    // penalty only: a discretionary hyphen (skipped in the first pass)
	text    string  // box text, or the hyphen a flagged penalty draws
	span    span    // how text is drawn
}

const infBreak = 10000

// breakParams are TeX's paragraph parameters, in its units (badness is
// 100·r³ for adjustment ratio r).
type breakParams struct {
	width float64 // the measure
	// rightStretch is stretch every line gets at its end (TeX's \rightskip):
	// zero for justified text, a few ems for ragged right.
	rightStretch float64
	// leftStretch is stretch at the start of every line (\leftskip), for centring.
	leftStretch        float64
	pretolerance       float64 // first pass, no hyphenation; negative skips it
	tolerance          float64 // second pass, with hyphenation
	linePenalty        float64
	hyphenDemerits     float64 // two hyphenated lines in a row (\doublehyphendemerits)
	finalHyphen        float64 // the penultimate line hyphenated (\finalhyphendemerits)
	adjacentDemerits   float64 // fitness classes more than one apart (\adjdemerits)
	emergencyTolerance float64 // the last pass
}

func justifiedParams(width float64) breakParams {
	return breakParams{
		width: width, pretolerance: 100, tolerance: 200, linePenalty: 10,
		hyphenDemerits: 10000, finalHyphen: 5000, adjacentDemerits: 10000,
		emergencyTolerance: math.Inf(1),
	}
}

func raggedParams(width, em float64) breakParams {
	p := justifiedParams(width)
	p.rightStretch = 3 * em
	return p
}

func centredParams(width, em float64) breakParams {
	p := raggedParams(width, em)
	p.leftStretch = p.rightStretch
	return p
}

// lineBreak is the end of one line: the index of the item it breaks at
// (glue or penalty; len(items) never) and the line's adjustment ratio.
type lineBreak struct {
	at    int
	ratio float64
	fil   bool // the line has infinitely stretchable glue: set at natural width
}

type breakNode struct {
	at        int // the break's item index, -1 for the paragraph start
	fitness   int
	w, y, z   float64 // totals of width, stretch and shrink after the break
	fil       int
	demerits  float64
	ratio     float64
	lineFil   bool
	prev      *breakNode
	next      *breakNode // in the active list
	hyphenEnd bool
}

// breakLines chooses where the paragraph's lines end. The last item must be
// a forced break. It never returns an empty result for a non-empty paragraph.
func breakLines(items []item, p breakParams) []lineBreak {
	n := len(items)
	if n == 0 {
		return nil
	}
	// Prefix sums: sum[i] totals items[:i].
	sw := make([]float64, n+1)
	sy := make([]float64, n+1)
	sz := make([]float64, n+1)
	sf := make([]int, n+1)
	for i, it := range items {
		sw[i+1], sy[i+1], sz[i+1], sf[i+1] = sw[i], sy[i], sz[i], sf[i]
		if it.kind != penalty {
			sw[i+1] += it.width
		}
		if it.kind == glue {
			sy[i+1] += it.stretch
			sz[i+1] += it.shrink
			if it.fil {
				sf[i+1]++
			}
		}
	}
	passes := []struct {
		tolerance float64
		hyphenate bool
	}{{p.pretolerance, false}, {p.tolerance, true}, {p.emergencyTolerance, true}}
	for i, pass := range passes {
		if pass.tolerance < 0 {
			continue
		}
		if best := breakPass(items, p, pass.tolerance, pass.hyphenate, i == len(passes)-1, sw, sy, sz, sf); best != nil {
			var out []lineBreak
			for nd := best; nd.prev != nil; nd = nd.prev {
				out = append(out, lineBreak{at: nd.at, ratio: nd.ratio, fil: nd.lineFil})
			}
			for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
				out[l], out[r] = out[r], out[l]
			}
			return out
		}
	}
	return nil // unreachable: the final pass always finds breaks
}

func breakPass(items []item, p breakParams, tolerance float64, hyphenate, final bool, sw, sy, sz []float64, sf []int) *breakNode {
	active := &breakNode{at: -1, fitness: 1}
	var lastDropped *breakNode
	type candidate struct {
		from     *breakNode
		demerits float64
		ratio    float64
		fil      bool
	}
	for b, it := range items {
		legal := false
		switch it.kind {
		case penalty:
			legal = it.cost < infBreak && (hyphenate || !it.hyphen)
		case glue:
			legal = b > 0 && items[b-1].kind == box
		}
		if !legal {
			continue
		}
		forced := it.kind == penalty && it.cost <= -infBreak
		var best [4]candidate
		var prev *breakNode
		for a := active; a != nil; a = a.next {
			w := sw[b] - a.w
			if it.kind == penalty {
				w += it.width
			}
			fil := sf[b] - a.fil
			ratio := 0.0
			switch {
			case fil > 0 && w <= p.width:
				ratio = 0
			case w < p.width:
				if y := sy[b] - a.y + p.rightStretch + p.leftStretch; y > 0 {
					ratio = (p.width - w) / y
				} else {
					ratio = math.Inf(1)
				}
			case w > p.width:
				if z := sz[b] - a.z; z > 0 {
					ratio = (p.width - w) / z
				} else {
					ratio = math.Inf(-1)
				}
			}
			if ratio < -1 || forced {
				// a can start no line ending here or later: drop it.
				if prev == nil {
					active = a.next
				} else {
					prev.next = a.next
				}
				lastDropped = a
			} else {
				prev = a
			}
			if ratio < -1 {
				continue
			}
			bad := badness(ratio)
			if bad > tolerance {
				continue
			}
			d := p.linePenalty + bad
			d *= d
			switch {
			case it.kind == penalty && it.cost >= 0:
				d += it.cost * it.cost
			case it.kind == penalty && it.cost > -infBreak:
				d -= it.cost * it.cost
			}
			if it.kind == penalty && it.flagged && a.hyphenEnd {
				d += p.hyphenDemerits
			}
			if forced && a.hyphenEnd {
				d += p.finalHyphen
			}
			fc := fitness(ratio)
			if abs(fc-a.fitness) > 1 {
				d += p.adjacentDemerits
			}
			d += a.demerits
			if c := best[fc]; c.from == nil || d < c.demerits {
				best[fc] = candidate{from: a, demerits: d, ratio: ratio, fil: fil > 0 && ratio >= 0}
			}
		}
		// The totals after the break skip the glue and penalties a line
		// starting here discards.
		var tw, ty, tz float64
		var tf int
		newNodes := false
		for fc, c := range best {
			if c.from == nil {
				continue
			}
			if !newNodes {
				tw, ty, tz, tf = afterBreak(items, b, sw, sy, sz, sf)
				newNodes = true
			}
			nd := &breakNode{at: b, fitness: fc, w: tw, y: ty, z: tz, fil: tf,
				demerits: c.demerits, ratio: c.ratio, lineFil: c.fil, prev: c.from,
				hyphenEnd: it.kind == penalty && it.flagged}
			nd.next = active
			active = nd
		}
		if active == nil {
			if !final {
				return nil
			}
			// Nothing fits: end an overfull line here rather than fail.
			from := lastDropped
			tw, ty, tz, tf = afterBreak(items, b, sw, sy, sz, sf)
			active = &breakNode{at: b, fitness: 0, w: tw, y: ty, z: tz, fil: tf,
				demerits: from.demerits + infBreak*infBreak, ratio: -1, prev: from,
				hyphenEnd: it.kind == penalty && it.flagged}
		}
	}
	// The last item is a forced break, so every surviving node ends there.
	var best *breakNode
	for a := active; a != nil; a = a.next {
		if a.at == len(items)-1 && (best == nil || a.demerits < best.demerits) {
			best = a
		}
	}
	return best
}

// afterBreak returns the totals at the start of the line after a break at b.
func afterBreak(items []item, b int, sw, sy, sz []float64, sf []int) (w, y, z float64, f int) {
	i := b
	for i < len(items) {
		it := items[i]
		if it.kind == box || (it.kind == penalty && it.cost <= -infBreak && i > b) {
			break
		}
		i++
	}
	return sw[i], sy[i], sz[i], sf[i]
}

func badness(ratio float64) float64 {
	if math.IsInf(ratio, 1) {
		return infBreak
	}
	b := 100 * math.Abs(ratio*ratio*ratio)
	return math.Min(b, infBreak)
}

// fitness is TeX's class: 0 tight, 1 decent, 2 loose, 3 very loose.
func fitness(ratio float64) int {
	switch {
	case ratio < -0.5:
		return 0
	case ratio <= 0.5:
		return 1
	case ratio <= 1:
		return 2
	}
	return 3
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
