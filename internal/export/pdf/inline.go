package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/export/pdf/hyphen"
)

// segment is a run of paragraph text with one look.
type segment struct {
	text string
	look look
}

type align uint8

const (
	alignJustify align = iota
	alignLeft
	alignCenter
	alignRight
)

// paraStyle is how one paragraph is set.
type paraStyle struct {
	size      float64
	indent    float64 // of the first line
	align     align
	hyphenate bool
}

// line is one set line of a paragraph.
type line struct {
	x      float64 // offset of the line from the left of the measure
	width  float64 // the width the line is set to
	ratio  float64 // the adjustment ratio its spaces were set with
	pieces []piece
	// hyphenated is set when the line ends in a hyphen it added.
	hyphenated bool
}

// piece is text drawn in one span at an offset from the start of its line.
type piece struct {
	x, w float64
	text string
	sp   span
}

// Penalties, as in TeX.
const (
	hyphenPenalty    = 50
	exHyphenPenalty  = 50
	emergencyPenalty = 5000
)

// setter breaks paragraphs into lines. It caches widths and hyphenation
// points, so one setter serves a whole book.
type setter struct {
	tf     *typeface
	hy     *hyphen.Hyphenator // nil: never hyphenate
	points map[string][]int
	items  []item
}

func newSetter(tf *typeface, hy *hyphen.Hyphenator) *setter {
	return &setter{tf: tf, hy: hy, points: map[string][]int{}}
}

// paragraph sets segs in lines of the given width.
func (s *setter) paragraph(segs []segment, ps paraStyle, width float64) []line {
	items := s.build(typographic(segs), ps, width)
	if len(items) == 0 {
		return nil
	}
	em := ps.size
	var p breakParams
	switch ps.align {
	case alignJustify:
		p = justifiedParams(width)
	case alignLeft, alignRight:
		p = raggedParams(width, em)
	case alignCenter:
		p = centredParams(width, em)
	}
	breaks := breakLines(items, p)
	lines := make([]line, 0, len(breaks))
	start := 0
	for _, br := range breaks {
		ln := setLine(items[start:br.at+1], br)
		switch ps.align {
		case alignCenter:
			ln.x = (width - ln.width) / 2
		case alignRight:
			ln.x = width - ln.width
		}
		lines = append(lines, ln)
		start = br.at + 1
		for start < len(items) && items[start].kind != box {
			start++
		}
	}
	return lines
}

// setLine places the items of one line; the last is the break.
func setLine(items []item, br lineBreak) line {
	ratio := br.ratio
	if br.fil || ratio > 1e6 {
		ratio = 0 // fil glue takes the slack; finite spaces stay natural
	}
	ln := line{ratio: ratio}
	x := 0.0
	end := items[len(items)-1]
	body := items[:len(items)-1]
	for _, it := range body {
		switch it.kind {
		case box:
			if it.text != "" {
				ln.add(x, it.width, it.text, it.span)
			}
			x += it.width
		case glue:
			if it.fil {
				continue
			}
			g := it.width
			if ratio > 0 {
				g += ratio * it.stretch
			} else {
				g += ratio * it.shrink
			}
			x += g
		}
	}
	if end.kind == penalty && end.flagged && end.text != "" {
		ln.add(x, end.width, end.text, end.span)
		x += end.width
		ln.hyphenated = true
	}
	// Trailing glue before a forced break does not count.
	ln.width = x
	for i := len(body) - 1; i >= 0 && body[i].kind == glue; i-- {
		if !body[i].fil {
			ln.width -= body[i].width
		}
	}
	return ln
}

// add appends text at x, merging it into the previous piece when that ends
// exactly there in the same span (syllables of one word).
func (ln *line) add(x, w float64, text string, sp span) {
	if n := len(ln.pieces); n > 0 {
		last := &ln.pieces[n-1]
		if last.sp == sp && abs64(last.x+last.w-x) < 1e-9 {
			last.text += text
			last.w += w
			return
		}
	}
	ln.pieces = append(ln.pieces, piece{x: x, w: w, text: text, sp: sp})
}

func abs64(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// build turns a paragraph into boxes, glue and penalties.
func (s *setter) build(segs []segment, ps paraStyle, width float64) []item {
	items := s.items[:0]
	if ps.indent > 0 {
		items = append(items, item{kind: box, width: ps.indent})
	}
	var word []segment
	var shy []int // soft hyphen offsets in the word
	wordLen := 0
	flush := func() {
		if len(word) > 0 {
			items = s.word(items, word, shy, ps, width)
			word, shy, wordLen = word[:0], shy[:0], 0
		}
	}
	// space adds interword glue sized for the space's own look, once.
	space := func(l look) {
		if n := len(items); n == 0 || items[n-1].kind != box || n == 1 && ps.indent > 0 {
			return
		}
		sp := spanFor(l, ps.size)
		sp.underline, sp.strike, sp.faux = false, false, false
		w := s.tf.width(sp, " ")
		if ps.align != alignJustify {
			// Ragged and centred lines keep natural spaces; the slack goes to
			// the line's ends (breakParams.rightStretch, leftStretch).
			items = append(items, item{kind: glue, width: w})
			return
		}
		items = append(items, item{kind: glue, width: w, stretch: w * 0.75, shrink: w * 0.3})
	}
	for _, sg := range segs {
		start := 0
		addText := func(end int) {
			if end > start {
				t := sg.text[start:end]
				if n := len(word); n > 0 && word[n-1].look == sg.look {
					word[n-1].text += t
				} else {
					word = append(word, segment{t, sg.look})
				}
				wordLen += len(t)
			}
		}
		for i, r := range sg.text {
			switch r {
			case ' ', '\t':
				addText(i)
				flush()
				space(sg.look)
			case '\n':
				addText(i)
				flush()
				items = trimGlue(items)
				items = append(items, item{kind: glue, fil: true}, item{kind: penalty, cost: -infBreak})
			case '\u200B': // zero-width space: a break without a space
				addText(i)
				flush()
				items = append(items, item{kind: penalty})
			case '\u00AD': // soft hyphen: a hyphenation point chosen by the author
				addText(i)
				shy = append(shy, wordLen)
			default:
				continue
			}
			start = i + utf8.RuneLen(r)
		}
		addText(len(sg.text))
	}
	flush()
	// Line breaks at the very end would only add empty lines.
	for n := len(items); n >= 2 && items[n-1].kind == penalty && items[n-1].cost <= -infBreak && items[n-2].fil; n = len(items) {
		items = trimGlue(items[:n-2])
	}
	items = trimGlue(items)
	if len(items) == 0 || len(items) == 1 && ps.indent > 0 {
		s.items = items
		return nil
	}
	items = append(items, item{kind: glue, fil: true}, item{kind: penalty, cost: -infBreak})
	s.items = items
	return items
}

func trimGlue(items []item) []item {
	for len(items) > 0 && items[len(items)-1].kind == glue {
		items = items[:len(items)-1]
	}
	return items
}

type pointKind uint8

const (
	hyphenPoint    pointKind = iota // a discretionary hyphen: draws "-"
	explicitPoint                   // after a hyphen or dash already in the text
	emergencyPoint                  // anywhere, only if nothing else fits
)

type breakPoint struct {
	at   int // byte offset in the word
	kind pointKind
}

// word appends the boxes of one word and the penalties between its parts.
func (s *setter) word(items []item, parts []segment, shy []int, ps paraStyle, width float64) []item {
	var full string
	if len(parts) == 1 {
		full = parts[0].text
	} else {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.text)
		}
		full = b.String()
	}
	points := s.breakPoints(full, shy, ps.hyphenate)
	if s.wordWidth(parts, ps.size) > width*0.95 {
		points = emergencyPoints(full, points)
	}
	off, pi := 0, 0
	for _, part := range parts {
		sp := spanFor(part.look, ps.size)
		from, end := 0, off+len(part.text)
		// Points are sorted and inside the word; one at a part's start
		// breaks between parts.
		for pi < len(points) && points[pi].at < end {
			at := points[pi].at - off
			items = s.boxes(items, part.text[from:at], sp)
			items = s.breakItem(items, points[pi].kind, sp)
			from = at
			pi++
		}
		items = s.boxes(items, part.text[from:], sp)
		off = end
	}
	return items
}

func (s *setter) boxes(items []item, text string, sp span) []item {
	s.tf.resolve(text, sp, func(t string, rs span) {
		items = append(items, item{kind: box, width: s.tf.width(rs, t), text: t, span: rs})
	})
	return items
}

func (s *setter) breakItem(items []item, kind pointKind, sp span) []item {
	switch kind {
	case hyphenPoint:
		// The hyphen is drawn in the span of the syllable before it.
		if n := len(items); n > 0 && items[n-1].kind == box && items[n-1].text != "" {
			sp = items[n-1].span
		}
		h, hs := "-", sp
		if !s.tf.cover[sp.face].has('-') {
			hs.face = regular
		}
		return append(items, item{kind: penalty, cost: hyphenPenalty, flagged: true, hyphen: true,
			width: s.tf.width(hs, h), text: h, span: hs})
	case explicitPoint:
		return append(items, item{kind: penalty, cost: exHyphenPenalty, flagged: true})
	}
	return append(items, item{kind: penalty, cost: emergencyPenalty, hyphen: true})
}

func (s *setter) wordWidth(parts []segment, size float64) float64 {
	w := 0.0
	for _, p := range parts {
		s.tf.resolve(p.text, spanFor(p.look, size), func(t string, rs span) { w += s.tf.width(rs, t) })
	}
	return w
}

// breakPoints finds where a word may break: at the author's soft hyphens if
// there are any, else after the hyphens and dashes it holds, else where the
// patterns allow in its first run of letters ("harbour’s" breaks as
// "har-bour’s"). Words in capitals (acronyms) are not hyphenated.
func (s *setter) breakPoints(word string, shy []int, hyphenate bool) []breakPoint {
	var pts []breakPoint
	if len(shy) > 0 {
		for _, at := range shy {
			if at > 0 && at < len(word) {
				pts = append(pts, breakPoint{at, hyphenPoint})
			}
		}
		return pts
	}
	for i, r := range word {
		if r == '-' || r == '–' || r == '—' {
			at := i + utf8.RuneLen(r)
			if i > 0 && at < len(word) {
				pts = append(pts, breakPoint{at, explicitPoint})
			}
		}
	}
	if len(pts) > 0 || !hyphenate || s.hy == nil {
		return pts
	}
	start := strings.IndexFunc(word, unicode.IsLetter)
	if start < 0 {
		return nil
	}
	end := len(word)
	if e := strings.IndexFunc(word[start:], func(r rune) bool { return !unicode.IsLetter(r) }); e >= 0 {
		end = start + e
	}
	core := word[start:end]
	if len(core) < 5 || strings.ToUpper(core) == core {
		return nil
	}
	at, ok := s.points[core]
	if !ok {
		at = s.hy.Points(core)
		s.points[core] = at
	}
	for _, p := range at {
		pts = append(pts, breakPoint{start + p, hyphenPoint})
	}
	return pts
}

// emergencyPoints adds a break at every character boundary not already one,
// for words wider than the measure (URLs, long numbers).
func emergencyPoints(word string, pts []breakPoint) []breakPoint {
	out := make([]breakPoint, 0, len(word))
	j := 0
	for i := range word {
		if i == 0 {
			continue
		}
		for j < len(pts) && pts[j].at < i {
			j++
		}
		if j < len(pts) && pts[j].at == i {
			out = append(out, pts[j])
			continue
		}
		out = append(out, breakPoint{i, emergencyPoint})
	}
	return out
}

// typographic replaces straight quotes with curly ones, "---" with an em dash
// and "--" with an en dash, deciding open or close from the character before
// (across the paragraph's segments).
func typographic(segs []segment) []segment {
	prev := ' '
	for i, sg := range segs {
		if !strings.ContainsAny(sg.text, "\"'-") {
			if sg.text != "" {
				prev, _ = utf8.DecodeLastRuneInString(sg.text)
			}
			continue
		}
		t := strings.ReplaceAll(strings.ReplaceAll(sg.text, "---", "—"), "--", "–")
		var b strings.Builder
		b.Grow(len(t) + 8)
		for j, r := range t {
			switch r {
			case '"':
				if opens(prev) {
					r = '“'
				} else {
					r = '”'
				}
			case '\'':
				next, _ := utf8.DecodeRuneInString(t[j+1:])
				if opens(prev) && !unicode.IsDigit(next) {
					r = '‘'
				} else {
					r = '’'
				}
			}
			b.WriteRune(r)
			prev = r
		}
		segs[i].text = b.String()
	}
	return segs
}

func opens(prev rune) bool {
	return unicode.IsSpace(prev) || strings.ContainsRune("([{‘“—–-/", prev)
}
