package pdf

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/authorworks/authorworks/internal/export/fonts"
)

// face is one of the embedded font files.
type face uint8

const (
	regular face = iota
	italic
	bold
	numFaces
)

// fpdfStyle is the style string fpdf registers each face under.
var fpdfStyle = [numFaces]string{"", "I", "B"}

// look is the typographic intent of a run of text, from its marks.
type look struct {
	bold, italic, underline, strike, super, sub bool
}

// span is how a run of text is drawn: a face at a size, emboldened by
// stroking the outlines where the family has no real bold for it (bold
// italic, and characters the bold lacks), raised or lowered for superscripts
// and subscripts, and ruled for underline and strikethrough.
type span struct {
	face      face
	faux      bool
	size      float64
	rise      float64
	underline bool
	strike    bool
}

// typeface measures text in the embedded faces and resolves each character
// to a face that has it. Widths come from fpdf itself (GetStringSymbolWidth),
// so what the layout measures is what the PDF draws.
type typeface struct {
	pdf     *fpdf.Fpdf
	cover   [numFaces]*coverage
	current face
	widths  map[widthKey]int
}

type widthKey struct {
	face face
	text string
}

// newTypeface registers EB Garamond with pdf, which must have no page yet:
// fpdf writes a font change into the current page, and measuring switches
// fonts often.
func newTypeface(pdf *fpdf.Fpdf) (*typeface, error) {
	t := &typeface{pdf: pdf, current: numFaces, widths: make(map[widthKey]int, 4096)}
	for f := range numFaces {
		data := fonts.Serif(f == bold, f == italic)
		c, err := parseCoverage(data)
		if err != nil {
			return nil, fmt.Errorf("pdf: %s %s: %w", fonts.SerifFamily, fpdfStyle[f], err)
		}
		t.cover[f] = c
		pdf.AddUTF8FontFromBytes(fonts.SerifFamily, fpdfStyle[f], data)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf: register fonts: %w", err)
	}
	return t, nil
}

// units returns the advance of s in f, in thousandths of an em.
func (t *typeface) units(f face, s string) int {
	k := widthKey{f, s}
	if w, ok := t.widths[k]; ok {
		return w
	}
	if t.current != f {
		t.pdf.SetFont(fonts.SerifFamily, fpdfStyle[f], 10)
		t.current = f
	}
	w := t.pdf.GetStringSymbolWidth(s)
	t.widths[k] = w
	return w
}

// width returns the advance of s drawn in sp, in points. s must be resolved
// (every character in sp.face).
func (t *typeface) width(sp span, s string) float64 {
	return float64(t.units(sp.face, s)) * sp.size / 1000
}

// spanFor returns the span a look asks for at a size, before any fallback.
func spanFor(l look, size float64) span {
	sp := span{size: size, underline: l.underline, strike: l.strike}
	switch {
	case l.bold && l.italic:
		sp.face, sp.faux = italic, true
	case l.bold:
		sp.face = bold
	case l.italic:
		sp.face = italic
	}
	if l.super || l.sub {
		sp.size = size * 0.7
		sp.rise = size * 0.33
		if l.sub {
			sp.rise = -size * 0.15
		}
	}
	return sp
}

// faceFor returns the span that draws r for a run asked for in want: the
// wanted face if it has the character, else the regular face (stroked to
// stand in for bold). ok is false when no face has it.
func (t *typeface) faceFor(r rune, want span) (span, bool) {
	if t.cover[want.face].has(r) {
		return want, true
	}
	if t.cover[regular].has(r) {
		got := want
		got.face = regular
		got.faux = want.faux || want.face == bold
		return got, true
	}
	return want, false
}

// resolve splits text, asked for in want, into runs that each face can draw,
// calling emit for each in order. Characters no face has are replaced by a
// near equivalent or, failing that, a question mark, so nothing silently
// disappears; invisible format characters are dropped.
func (t *typeface) resolve(text string, want span, emit func(text string, sp span)) {
	// The common case: one face draws all of it.
	all := true
	for _, r := range text {
		if !t.cover[want.face].has(r) {
			all = false
			break
		}
	}
	if all {
		if text != "" {
			emit(text, want)
		}
		return
	}
	var b strings.Builder
	var cur span
	flush := func() {
		if b.Len() > 0 {
			emit(b.String(), cur)
			b.Reset()
		}
	}
	for _, r := range text {
		if unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) && !t.cover[want.face].has(r) {
			continue
		}
		sp, ok := t.faceFor(r, want)
		if !ok {
			r = substitute(r)
			sp, _ = t.faceFor(r, want)
		}
		if sp != cur && b.Len() > 0 {
			flush()
		}
		cur = sp
		b.WriteRune(r)
	}
	flush()
}

// substitute returns a character EB Garamond has for one it lacks.
func substitute(r rune) rune {
	switch r {
	case '\u2010', '\u2011': // hyphen, non-breaking hyphen
		return '-'
	case '\u2012', '\u2212': // figure dash, minus sign
		return '–'
	case '\u2015': // horizontal bar
		return '—'
	case '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u202F':
		return '\u00A0'
	}
	return '?'
}
