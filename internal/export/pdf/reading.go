package pdf

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/pdf/hyphen"
)

// Paper is the page size of a reading PDF, in points.
type Paper struct {
	Name          string
	Width, Height float64
}

// The paper sizes of reading PDFs.
var (
	PaperA4     = Paper{Name: "A4", Width: 595.28, Height: 841.89}
	PaperLetter = Paper{Name: "Letter", Width: 612, Height: 792}
)

// ParsePaper returns the paper named name ("A4" or "Letter", any case).
func ParsePaper(name string) (Paper, error) {
	for _, p := range []Paper{PaperA4, PaperLetter} {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p, nil
		}
	}
	return Paper{}, fmt.Errorf("pdf: unknown paper %q: want A4 or Letter", name)
}

// ReadingOptions are the choices for a reading PDF.
type ReadingOptions struct {
	// Paper is the page size; the zero value means A4.
	Paper Paper
	// Ragged sets text ragged right instead of justified.
	Ragged bool
	// FontSize is the body type in points; zero means 12 pt.
	FontSize float64
}

// WriteReading writes b as a PDF for reading on screen or a home printer:
// one-sided pages with margins that keep lines to about 75 characters, a title page, each chapter on a new
// page, justified (or ragged) and hyphenated text, and page numbers at the
// foot. Widows and orphans are kept out as in the print book.
func WriteReading(w io.Writer, b *export.Book, opts ReadingOptions) error {
	lay, h, err := layoutReading(b, opts)
	if err != nil {
		return err
	}
	return render(h.pdf, lay, w)
}

func layoutReading(b *export.Book, opts ReadingOptions) (*layout, *handle, error) {
	if b == nil {
		return nil, nil, errNoBook
	}
	paper := opts.Paper
	if paper == (Paper{}) {
		paper = PaperA4
	}
	if paper.Width <= 0 || paper.Height <= 0 {
		return nil, nil, fmt.Errorf("pdf: invalid paper size %gx%g pt", paper.Width, paper.Height)
	}
	g := geometry{
		width: paper.Width, height: paper.Height, top: 72, bottom: 72,
		size: 12, justify: !opts.Ragged, hyphenate: hyphenates(b.Language),
		folioCentred: true, sink: 0.2,
	}
	if opts.FontSize > 0 {
		if opts.FontSize < 6 || opts.FontSize > 24 {
			return nil, nil, fmt.Errorf("pdf: font size %g pt is outside 6–24 pt", opts.FontSize)
		}
		g.size = opts.FontSize
	}
	g.leading = math.Round(g.size*1.35*2) / 2
	// Side margins of at least an inch that hold the measure to about 34 ems
	// (some 75 characters), the most a line can hold and still read easily.
	g.inside = math.Max(72, (paper.Width-34*g.size)/2)
	g.outside = g.inside
	if !b.Modified.IsZero() {
		g.copyrightYear = b.Modified.Year()
	}
	h, err := newHandle(b, paper.Width, paper.Height)
	if err != nil {
		return nil, nil, err
	}
	var hy *hyphen.Hyphenator
	if g.hyphenate {
		hy = hyphen.English()
	}
	return compose(b, g, newSetter(h.tf, hy)), h, nil
}
