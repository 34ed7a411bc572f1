package script

import (
	"fmt"
	"io"
	"strconv"

	"github.com/go-pdf/fpdf"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/fonts"
)

// WriteScreenplayPDF writes the book as a screenplay in the standard American
// format: US Letter, 12 pt Courier-metric type (Liberation Mono, embedded) at
// 10 characters and 6 lines an inch, 55 lines a page below a 1 in top margin;
// action and scene headings at 1.5 in, dialogue at 2.5 in, parentheticals at
// 3.1 in, character cues at 3.7 in, transitions set right to 7.5 in; scene
// numbers in both margins; a title page; page numbers ("2.") at the top right,
// 0.5 in down, from the second page of the script.
//
// Pages break as screenwriting software breaks them: a scene heading, shot or
// character cue (with its parenthetical) never ends a page; a transition
// never starts one; a speech splits only between sentences, with at least two
// lines of dialogue on each side, "(MORE)" at the foot and "NAME (CONT'D)" at
// the head of the next page; action splits between sentences, two lines a
// side at least; dual dialogue is set side by side and never split.
// Sections, synopses and notes are not printed.
func WriteScreenplayPDF(w io.Writer, b *export.Book) error {
	if err := writePDF(w, b, screenplayFormat); err != nil {
		return fmt.Errorf("script: screenplay pdf: %w", err)
	}
	return nil
}

// WritePlayPDF writes the book as a stage play in the Samuel French
// manuscript style, on the same 12 pt Courier-metric grid and Letter pages as
// a screenplay: each act (each chapter, titled by its chapter title or its own
// act heading) opens a new page under a centred, underlined heading; scene
// headings and character names are centred capitals; dialogue runs the full
// 6 in from the 1.5 in margin; stage directions are indented to 3.5 in, set in
// italics and parentheses; an actor's parenthetical is indented to 2.5 in in
// italics. Speeches break across pages as in a screenplay, with "(MORE)" and
// "NAME (CONT'D)"; pages are numbered "2." at the top right from the second.
func WritePlayPDF(w io.Writer, b *export.Book) error {
	if err := writePDF(w, b, playFormat); err != nil {
		return fmt.Errorf("script: play pdf: %w", err)
	}
	return nil
}

const fontFamily = fonts.MonoFamily

func writePDF(w io.Writer, b *export.Book, f *format) error {
	if b == nil {
		return fmt.Errorf("no book")
	}
	pdf := fpdf.New("P", "pt", "Letter", "")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	pdf.SetCreator("AuthorWorks", true)
	pdf.SetProducer("AuthorWorks", true)
	pdf.SetTitle(b.Title, true)
	pdf.SetAuthor(b.Author, true)
	if lang := b.Language; lang != "" {
		pdf.SetLang(lang)
	}
	if !b.Modified.IsZero() {
		pdf.SetCreationDate(b.Modified)
		pdf.SetModificationDate(b.Modified)
	}
	for _, st := range []style{0, bold, italic, bold | italic} {
		pdf.AddUTF8FontFromBytes(fontFamily, fontStyle(st), fonts.Mono(st&bold != 0, st&italic != 0))
	}
	for _, p := range f.layout(b) {
		drawPage(pdf, p)
	}
	return pdf.Output(w)
}

// drawPage draws one page of the grid. Each segment is drawn in runs of one
// style, each at its own column, so the grid never drifts.
func drawPage(pdf *fpdf.Fpdf, p page) {
	pdf.AddPage()
	// The baseline sits 9.5 pt below a line's top: the ascent of the face,
	// centred in its 12 pt line.
	const baseline = 9.5
	if p.number > 0 {
		n := strconv.Itoa(p.number) + "."
		pdf.SetFont(fontFamily, "", fontPt)
		pdf.Text(float64(rightCol-len(n))*colPt, numberTopPt+baseline, n)
	}
	for r, line := range p.rows {
		y := topPt + float64(r)*rowPt + baseline
		for _, s := range line {
			for i := 0; i < len(s.text); {
				j := i
				for j < len(s.text) && s.text[j].st == s.text[i].st {
					j++
				}
				pdf.SetFont(fontFamily, fontStyle(s.text[i].st), fontPt)
				pdf.Text(float64(s.col+i)*colPt, y, s.text[i:j].String())
				i = j
			}
		}
	}
}

// fontStyle is fpdf's style string for st: "B", "I" and "U" combined.
func fontStyle(st style) string {
	var s string
	if st&bold != 0 {
		s += "B"
	}
	if st&italic != 0 {
		s += "I"
	}
	if st&underline != 0 {
		s += "U"
	}
	return s
}
