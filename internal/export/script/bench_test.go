package script

import (
	"io"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
)

// BenchmarkScreenplay writes the long screenplay (105 scenes, 91 pages) as
// Fountain, FDX and a screenplay PDF, each alone and all three together.
func BenchmarkScreenplay(b *testing.B) {
	book := longScreenplay()
	pages := len(screenplayFormat.layout(book)) - 1
	for _, bc := range []struct {
		name   string
		writes []func(io.Writer, *export.Book) error
	}{
		{"fountain", []func(io.Writer, *export.Book) error{WriteFountain}},
		{"fdx", []func(io.Writer, *export.Book) error{WriteFDX}},
		{"pdf", []func(io.Writer, *export.Book) error{WriteScreenplayPDF}},
		{"all", []func(io.Writer, *export.Book) error{WriteFountain, WriteFDX, WriteScreenplayPDF}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, w := range bc.writes {
					if err := w(io.Discard, book); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(pages), "pages")
		})
	}
}
