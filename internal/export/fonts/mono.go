// Package fonts holds the font files the PDF writers embed, compiled into the
// binary so an export never depends on the fonts installed on the server.
package fonts

import _ "embed" // the font files below

// Liberation Mono 2.1.5 (SIL Open Font License 1.1; see
// LICENSE-LiberationMono.txt) is metric-compatible with Courier New: every
// glyph advances 1229/2048 em, so 12 pt sets exactly the 10 characters an inch
// a screenplay page is measured in. It is TrueType (glyf outlines), which
// go-pdf/fpdf can embed; Courier Prime ships as CFF and cannot be.
var (
	//go:embed LiberationMono-Regular.ttf
	monoRegular []byte
	//go:embed LiberationMono-Bold.ttf
	monoBold []byte
	//go:embed LiberationMono-Italic.ttf
	monoItalic []byte
	//go:embed LiberationMono-BoldItalic.ttf
	monoBoldItalic []byte
)

// MonoFamily is the family name of the monospace font, as PDF font resources
// and pdffonts report it.
const MonoFamily = "LiberationMono"

// Mono returns the TrueType file of Liberation Mono in the given style. The
// slice is shared: callers must not modify it.
func Mono(bold, italic bool) []byte {
	switch {
	case bold && italic:
		return monoBoldItalic
	case bold:
		return monoBold
	case italic:
		return monoItalic
	}
	return monoRegular
}
