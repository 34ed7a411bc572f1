// Package pdf writes a book as PDF: a print-ready novel interior (WriteBook)
// and a simple reading copy (WriteReading).
//
// It is a small typesetter on top of go-pdf/fpdf, which only draws: the
// package measures words in the embedded EB Garamond faces, hyphenates them
// with Liang's algorithm and TeX's US English patterns (package hyphen),
// breaks paragraphs into lines with Knuth and Plass's total-fit algorithm so
// italics and bold can share a justified line, and paginates on a baseline
// grid with widow, orphan and keep-with-next rules. The result is a layout
// model (pages of positioned lines) that tests inspect directly; rendering it
// with fpdf is a last, mechanical step.
//
// fpdf limits what the output can be: PDF 1.3, TrueType fonts only (subset,
// but without the subset tag in their names), no kerning or ligatures, no
// PDF/X output intent. KDP accepts such files; IngramSpark asks for PDF/X-1a
// or PDF/X-4, which this package does not make.
package pdf
