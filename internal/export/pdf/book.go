package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/pdf/hyphen"
)

// TrimSize is the size of a printed book's page, in points (1/72 in).
type TrimSize struct {
	Name          string
	Width, Height float64
}

// The trim sizes authors choose from. 6×9 in is the trade-paperback default.
var (
	Trim6x9     = TrimSize{Name: "6x9", Width: 432, Height: 648}
	Trim5x8     = TrimSize{Name: "5x8", Width: 360, Height: 576}
	Trim5_5x8_5 = TrimSize{Name: "5.5x8.5", Width: 396, Height: 612}
	TrimA5      = TrimSize{Name: "A5", Width: 419.53, Height: 595.28} // 148 × 210 mm
)

// TrimSizes lists the supported trim sizes, the default first.
func TrimSizes() []TrimSize { return []TrimSize{Trim6x9, Trim5x8, Trim5_5x8_5, TrimA5} }

// ParseTrimSize returns the trim size named name ("6x9", "5x8", "5.5x8.5",
// "A5"; case and a "×" or " in" do not matter).
func ParseTrimSize(name string) (TrimSize, error) {
	n := strings.ToLower(strings.NewReplacer("×", "x", " ", "", "in", "").Replace(name))
	for _, t := range TrimSizes() {
		if strings.ToLower(t.Name) == n {
			return t, nil
		}
	}
	return TrimSize{}, fmt.Errorf("pdf: unknown trim size %q: want 6x9, 5x8, 5.5x8.5 or A5", name)
}

// BookOptions are the author's choices for a print-ready interior.
type BookOptions struct {
	// Trim is the page size; the zero value means 6×9 in.
	Trim TrimSize
	// FontSize is the body type in points; zero means 11 pt (10.5 pt on the
	// smaller 5×8 in and A5 pages). Leading is about 1.27 times it.
	FontSize float64
	// CopyrightYear is printed on the copyright page; zero means the year the
	// book was last modified.
	CopyrightYear int
}

// MinGutter returns the inside margin Kindle Direct Publishing requires for a
// paperback of pages pages, in points: 0.375 in up to 150 pages, then 0.5 in
// to 300, 0.625 in to 500, 0.75 in to 700 and 0.875 in beyond (KDP prints at
// most 828).
func MinGutter(pages int) float64 {
	switch {
	case pages <= 150:
		return 0.375 * 72
	case pages <= 300:
		return 0.5 * 72
	case pages <= 500:
		return 0.625 * 72
	case pages <= 700:
		return 0.75 * 72
	}
	return 0.875 * 72
}

// bindingAllowance is added to KDP's minimum gutter: the minimum only keeps
// text out of the glue, and a little more keeps it out of the curve of the
// spine.
const bindingAllowance = 0.125 * 72

// errNoBook is returned for a nil book.
var errNoBook = errors.New("pdf: no book")

// WriteBook writes b as a print-ready novel interior: pages of the trim size
// (each with a TrimBox), mirrored margins whose gutter follows KDP's table for
// the final page count, EB Garamond embedded, a title and a copyright page,
// chapters opening a third of the way down a recto with no running head (after
// a blank verso when needed), running heads (the book's title on versos, the
// chapter's on rectos) and folios at the outside of the foot, text justified
// and hyphenated (English) with Knuth–Plass line breaking, and no widows or
// orphans.
func WriteBook(w io.Writer, b *export.Book, opts BookOptions) error {
	lay, h, err := layoutBook(b, opts)
	if err != nil {
		return err
	}
	return render(h.pdf, lay, w)
}

// layoutBook lays the book out with the gutter its page count needs.
func layoutBook(b *export.Book, opts BookOptions) (*layout, *handle, error) {
	if b == nil {
		return nil, nil, errNoBook
	}
	g, err := bookGeometry(b, opts)
	if err != nil {
		return nil, nil, err
	}
	h, err := newHandle(b, g.width, g.height)
	if err != nil {
		return nil, nil, err
	}
	var hy *hyphen.Hyphenator
	if g.hyphenate {
		hy = hyphen.English()
	}
	return fitGutter(b, g, newSetter(h.tf, hy), MinGutter(estimatePages(b, g))), h, nil
}

// bookGeometry is the page design for a trim size: 11 pt type on about
// 14 pt leading (10.5 on 13.5 for the 5×8 in and A5 pages), 0.625 in outside
// margins (0.5 in on 5 in wide pages), 0.75 in head and foot margins (0.625 in
// on the smaller pages) holding the running heads and folios.
func bookGeometry(b *export.Book, opts BookOptions) (geometry, error) {
	trim := opts.Trim
	if trim == (TrimSize{}) {
		trim = Trim6x9
	}
	if trim.Width <= 0 || trim.Height <= 0 {
		return geometry{}, fmt.Errorf("pdf: invalid trim size %gx%g pt", trim.Width, trim.Height)
	}
	g := geometry{
		width: trim.Width, height: trim.Height,
		outside: 0.625 * 72, top: 0.75 * 72, bottom: 0.75 * 72,
		mirrored: true, size: 11, justify: true, hyphenate: hyphenates(b.Language),
		rectoOpeners: true, runningHeads: true, copyrightPage: true, sink: 1.0 / 3,
		copyrightYear: opts.CopyrightYear,
	}
	if trim.Width <= 360 {
		g.outside = 0.5 * 72
	}
	if trim.Height < 600 { // 5×8 in and A5
		g.top, g.bottom, g.size = 0.625*72, 0.625*72, 10.5
	}
	if opts.FontSize > 0 {
		if opts.FontSize < 6 || opts.FontSize > 24 {
			return geometry{}, fmt.Errorf("pdf: font size %g pt is outside 6–24 pt", opts.FontSize)
		}
		g.size = opts.FontSize
	}
	g.leading = math.Round(g.size*1.27*2) / 2
	if g.copyrightYear == 0 && !b.Modified.IsZero() {
		g.copyrightYear = b.Modified.Year()
	}
	return g, nil
}

// fitGutter lays the book out until the gutter it used is the one its page
// count requires: the gutter depends on the page count, and the page count on
// the gutter (a wider gutter narrows the measure). It starts from guess.
func fitGutter(b *export.Book, g geometry, s *setter, guess float64) *layout {
	tried := map[float64]*layout{}
	gutter := guess
	for {
		g.inside = gutter + bindingAllowance
		lay := compose(b, g, s)
		tried[gutter] = lay
		need := MinGutter(len(lay.pages))
		if need == gutter {
			return lay
		}
		if prev, ok := tried[need]; ok {
			// The count flips between two brackets: keep the wider gutter,
			// which satisfies both.
			if need > gutter {
				return prev
			}
			return lay
		}
		gutter = need
	}
}

// estimatePages guesses the page count from the word count, so the first
// layout usually has the right gutter.
func estimatePages(b *export.Book, g geometry) int {
	words := b.WordCount
	if words == 0 {
		for _, ch := range b.Chapters {
			words += ch.Doc.WordCount()
		}
	}
	measure := g.width - MinGutter(0) - bindingAllowance - g.outside
	wordsPerLine := measure / (g.size * 0.43 * 5.9)
	perPage := wordsPerLine * float64(g.grid().lines)
	return 2 + int(float64(words)/perPage) + len(b.Chapters)*3/2
}

// hyphenates reports whether the patterns suit the book's language: English,
// or unstated.
func hyphenates(lang string) bool {
	l := strings.ToLower(lang)
	return l == "" || l == "en" || strings.HasPrefix(l, "en-")
}
