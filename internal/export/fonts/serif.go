package fonts

import _ "embed" // the font files below

// EB Garamond 12 (SIL Open Font License 1.1; see LICENSE-EBGaramond.txt) is
// the book face of the print and reading PDFs, as packaged by Debian
// (fonts-ebgaramond-extra). Its TrueType build has glyf outlines, which
// go-pdf/fpdf can embed; the .otf build beside it in Debian is CFF and cannot
// be. That release has no bold italic, and its bold covers only U+0020–U+007E
// and U+00A0–U+00BF (no curly quotes, dashes or accented letters), so writers
// must fall back to the regular or italic face for everything else.
var (
	//go:embed EBGaramond12-Regular.ttf
	serifRegular []byte
	//go:embed EBGaramond12-Italic.ttf
	serifItalic []byte
	//go:embed EBGaramond12-Bold.ttf
	serifBold []byte
)

// SerifFamily is the family name of the book face, as PDF font resources and
// pdffonts report it.
const SerifFamily = "EBGaramond"

// Serif returns the TrueType file of EB Garamond 12 in the given style. There
// is no bold italic: Serif(true, true) returns the italic, which a writer
// emboldens itself (the print writer strokes the outlines). The slice is
// shared: callers must not modify it.
func Serif(bold, italic bool) []byte {
	switch {
	case italic:
		return serifItalic
	case bold:
		return serifBold
	}
	return serifRegular
}
