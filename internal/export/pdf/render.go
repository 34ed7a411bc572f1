package pdf

import (
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/fonts"
)

// handle is an fpdf document with the book face registered: it measures
// text while the layout is made, then draws the layout.
type handle struct {
	pdf *fpdf.Fpdf
	tf  *typeface
}

func newHandle(b *export.Book, width, height float64) (*handle, error) {
	pdf := newDocument(b, width, height)
	tf, err := newTypeface(pdf)
	if err != nil {
		return nil, err
	}
	return &handle{pdf: pdf, tf: tf}, nil
}

// newDocument returns an fpdf document in points with pages of the given
// size and the book's metadata. Its creation date is the book's modification
// time, so the same book gives the same bytes.
func newDocument(b *export.Book, width, height float64) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: width, Ht: height}})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(b.Title, true)
	pdf.SetAuthor(b.Author, true)
	pdf.SetSubject(b.Description, true)
	pdf.SetCreator("AuthorWorks", true)
	pdf.SetProducer("AuthorWorks", true)
	if b.Language != "" {
		pdf.SetLang(b.Language)
	}
	when := b.Modified
	if when.IsZero() {
		when = time.Unix(0, 0).UTC()
	}
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	return pdf
}

// drawState tracks what fpdf last wrote into the page, since SetFont and
// friends write to the content stream even when nothing changes.
type drawState struct {
	face   face
	size   float64
	stroke bool
}

// render draws the layout's pages and writes the PDF. Every page's TrimBox
// is the whole page: the page size is the trim size, with no bleed.
func render(pdf *fpdf.Fpdf, lay *layout, w io.Writer) error {
	pdf.SetPageBox("trim", 0, 0, lay.width, lay.height)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	for _, p := range lay.pages {
		pdf.AddPage()
		// AddPage restores the font but not the text rendering mode.
		st := drawState{face: numFaces}
		left := lay.left(p)
		for _, pl := range p.lines {
			for _, pc := range pl.line.pieces {
				x := left + pl.line.x + pc.x
				drawPiece(pdf, &st, x, pl.y, pc)
			}
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: draw: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

func drawPiece(pdf *fpdf.Fpdf, st *drawState, x, y float64, pc piece) {
	sp := pc.sp
	if st.face != sp.face || st.size != sp.size {
		pdf.SetFont(fonts.SerifFamily, fpdfStyle[sp.face], sp.size)
		st.face, st.size = sp.face, sp.size
	}
	if sp.faux != st.stroke {
		if sp.faux {
			// Fill and stroke the outlines: a stroke of 3% of the size adds
			// about the weight a bold face would.
			pdf.SetLineWidth(sp.size * 0.03)
			pdf.SetTextRenderingMode(2)
		} else {
			pdf.SetTextRenderingMode(0)
		}
		st.stroke = sp.faux
	}
	base := y - sp.rise
	pdf.Text(x, base, pc.text)
	if sp.underline || sp.strike {
		pdf.SetLineWidth(sp.size * 0.05)
		if sp.underline {
			pdf.Line(x, base+sp.size*0.12, x+pc.w, base+sp.size*0.12)
		}
		if sp.strike {
			pdf.Line(x, base-sp.size*0.25, x+pc.w, base-sp.size*0.25)
		}
		if sp.faux {
			pdf.SetLineWidth(sp.size * 0.03)
		}
	}
}
