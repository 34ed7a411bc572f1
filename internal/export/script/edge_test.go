package script

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
)

var writers = []struct {
	name  string
	write func(io.Writer, *export.Book) error
}{
	{"fountain", WriteFountain},
	{"fdx", WriteFDX},
	{"screenplay pdf", WriteScreenplayPDF},
	{"play pdf", WritePlayPDF},
}

func TestNilBook(t *testing.T) {
	for _, w := range writers {
		if err := w.write(io.Discard, nil); err == nil {
			t.Errorf("%s: a nil book gave no error", w.name)
		}
	}
}

// TestEmptyAndOddBooks writes books with no chapters, empty chapters, and
// elements that stretch the layout; every writer must succeed.
func TestEmptyAndOddBooks(t *testing.T) {
	long := strings.Repeat("SUPERCALIFRAGILISTIC", 10)
	for _, tc := range []struct {
		name string
		book *export.Book
	}{
		{"no chapters", &export.Book{}},
		{"an empty chapter", &export.Book{Title: "T", Chapters: []export.Chapter{{Number: 1, Title: "One"}}}},
		{"outsized elements", &export.Book{Title: long, Author: "A", Chapters: []export.Chapter{{Number: 1, Doc: document.Doc{
			{Type: document.SceneHeading, Children: []document.Inline{document.Text("INT. " + long + " - DAY")}},
			{Type: document.Character, Children: []document.Inline{document.Text(long)}},
			{Type: document.Dialogue, Children: []document.Inline{document.Text(strings.Repeat("word ", 3000))}},
			{Type: document.Transition, Children: []document.Inline{document.Text(long + " TO:")}},
			{Type: document.PageBreak, Children: []document.Inline{document.Text("")}},
			{Type: document.Lyrics, Children: []document.Inline{document.Text("la la la")}},
			{Type: document.Paragraph, Children: []document.Inline{document.Text("Prose in a script.")}},
			{Type: document.SceneBreak, Children: []document.Inline{document.Text("")}},
			{Type: document.Parenthetical, Children: []document.Inline{document.Text("orphan")}},
		}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range writers {
				var buf bytes.Buffer
				if err := w.write(&buf, tc.book); err != nil {
					t.Errorf("%s: %v", w.name, err)
				}
			}
			for _, f := range []*format{screenplayFormat, playFormat} {
				pages := f.layout(tc.book)
				checkPages(t, pages[1:], false)
			}
		})
	}
	if n := len(screenplayFormat.layout(&export.Book{})); n != 1 {
		t.Errorf("a book with no text has %d pages, want 1 (the title page)", n)
	}
}
