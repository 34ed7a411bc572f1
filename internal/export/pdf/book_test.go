package pdf

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/document"
	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/export/pdf/hyphen"
)

func mustDoc(t *testing.T, md string) document.Doc {
	t.Helper()
	d, err := document.FromMarkdown(md)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var updatePDF = flag.Bool("update-pdf", false, "rewrite the layout golden files in testdata/")

func TestMinGutter(t *testing.T) {
	tests := []struct {
		pages int
		want  float64 // inches
	}{
		{1, 0.375}, {24, 0.375}, {150, 0.375},
		{151, 0.5}, {300, 0.5},
		{301, 0.625}, {500, 0.625},
		{501, 0.75}, {700, 0.75},
		{701, 0.875}, {828, 0.875}, {1000, 0.875},
	}
	for _, tt := range tests {
		if got := MinGutter(tt.pages); got != tt.want*72 {
			t.Errorf("MinGutter(%d) = %g pt, want %g in (%g pt)", tt.pages, got, tt.want, tt.want*72)
		}
	}
}

func TestParseTrimSize(t *testing.T) {
	for in, want := range map[string]TrimSize{
		"6x9": Trim6x9, "6×9 in": Trim6x9, "5x8": Trim5x8, "5.5x8.5": Trim5_5x8_5, "a5": TrimA5, "A5": TrimA5,
	} {
		got, err := ParseTrimSize(in)
		if err != nil || got != want {
			t.Errorf("ParseTrimSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseTrimSize("8.5x11"); err == nil {
		t.Error("ParseTrimSize(8.5x11) succeeded, want an error naming the sizes")
	}
	for in, want := range map[string]Paper{"A4": PaperA4, "letter": PaperLetter} {
		if got, err := ParsePaper(in); err != nil || got != want {
			t.Errorf("ParsePaper(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestGutterFollowsPageCount lays out books of growing length: each gets the
// inside margin its final page count requires, so longer books get wider
// gutters and narrower measures.
func TestGutterFollowsPageCount(t *testing.T) {
	books := []struct {
		words, chapters int
		minPages        int
	}{
		{20000, 5, 24},
		{70000, 12, 151},
	}
	if !testing.Short() {
		books = append(books, struct{ words, chapters, minPages int }{130000, 30, 301})
	}
	prevGutter := 0.0
	for _, bk := range books {
		lay, _, err := layoutBook(exporttest.Synthetic(bk.words, bk.chapters), BookOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n := len(lay.pages)
		want := MinGutter(n) + bindingAllowance
		t.Logf("%d words: %d pages, inside margin %.3f in, measure %.1f pt", bk.words, n, lay.inside/72, lay.measure)
		if lay.inside != want {
			t.Errorf("%d words, %d pages: inside margin %g pt, want %g (KDP %g in + allowance)", bk.words, n, lay.inside, want, MinGutter(n)/72)
		}
		if n < bk.minPages {
			t.Errorf("%d words: %d pages, want at least %d for this test to cover its bracket", bk.words, n, bk.minPages)
		}
		if lay.inside <= prevGutter {
			t.Errorf("%d words: gutter %g pt did not grow past %g", bk.words, lay.inside, prevGutter)
		}
		prevGutter = lay.inside
	}
}

// TestRelayoutWhenTheBracketChanges starts the gutter loop from wrong
// guesses, too narrow and too wide: it must settle on the gutter the final
// page count requires either way.
func TestRelayoutWhenTheBracketChanges(t *testing.T) {
	b := exporttest.Synthetic(70000, 12)
	g, err := bookGeometry(b, BookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHandle(b, g.width, g.height)
	if err != nil {
		t.Fatal(err)
	}
	s := newSetter(h.tf, hyphen.English())
	for _, guess := range []float64{MinGutter(0), MinGutter(1000)} {
		lay := fitGutter(b, g, s, guess)
		if want := MinGutter(len(lay.pages)) + bindingAllowance; lay.inside != want {
			t.Errorf("from a %g pt guess: inside %g pt for %d pages, want %g", guess, lay.inside, len(lay.pages), want)
		}
	}
}

// TestBookStructure checks the layout of a multi-page book: openers on
// rectos without heads, blank versos truly blank, heads and folios on body
// pages, no indent on first paragraphs.
func TestBookStructure(t *testing.T) {
	b := exporttest.Synthetic(20000, 5)
	lay, _, err := layoutBook(b, BookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if lay.pages[0].kind != pageTitle || lay.pages[1].kind != pageCopyright {
		t.Fatalf("front matter = %s, %s; want title, copyright", pageKindNames[lay.pages[0].kind], pageKindNames[lay.pages[1].kind])
	}
	openers := 0
	for _, p := range lay.pages {
		heads, folios := 0, 0
		for _, pl := range p.lines {
			switch pl.role {
			case roleHead:
				heads++
				want := b.Title
				if p.number%2 == 1 {
					want = b.Chapters[p.chapter-1].Title
				}
				if got := pl.line.text(); got != want {
					t.Errorf("page %d: running head %q, want %q", p.number, got, want)
				}
			case roleFolio:
				folios++
				if got := pl.line.text(); got != strconv.Itoa(p.number) {
					t.Errorf("page %d: folio %q", p.number, got)
				}
				outside := pl.line.x + pl.line.width
				if p.number%2 == 0 {
					outside = lay.measure - pl.line.x
				}
				if outside < lay.measure-0.01 {
					t.Errorf("page %d: folio at x %.2f is not at the outside edge", p.number, pl.line.x)
				}
			}
		}
		switch p.kind {
		case pageOpener:
			openers++
			if p.number%2 == 0 {
				t.Errorf("chapter %d opens on page %d, a verso", p.chapter, p.number)
			}
			if heads != 0 {
				t.Errorf("opener page %d has a running head", p.number)
			}
			first := firstText(p)
			if first == nil || first.line.pieces[0].x != 0 {
				t.Errorf("opener page %d: the first paragraph is indented", p.number)
			}
			if first != nil && first.y < lay.height/3 {
				t.Errorf("opener page %d: text starts at %.0f pt, want about a third down (%.0f)", p.number, first.y, lay.height/3)
			}
		case pageBlank:
			if len(p.lines) != 0 || p.number%2 != 0 {
				t.Errorf("blank page %d has %d lines", p.number, len(p.lines))
			}
		case pageBody:
			if heads != 1 {
				t.Errorf("body page %d has %d running heads, want 1", p.number, heads)
			}
		}
		if (p.kind == pageBody || p.kind == pageOpener) && folios != 1 {
			t.Errorf("page %d has %d folios, want 1", p.number, folios)
		}
	}
	if openers != len(b.Chapters) {
		t.Errorf("%d openers, want %d", openers, len(b.Chapters))
	}
}

func firstText(p *page) *placed {
	for i := range p.lines {
		if p.lines[i].role == roleText {
			return &p.lines[i]
		}
	}
	return nil
}

// TestLayoutGolden records the typesetting of the fixture novel: every line
// of every page with its position, spacing and faces. Run with -update-pdf
// after a deliberate change and review the diff.
func TestLayoutGolden(t *testing.T) {
	b := exporttest.Novel()
	tests := []struct {
		name string
		lay  func() (*layout, error)
	}{
		{"novel-6x9", func() (*layout, error) { l, _, err := layoutBook(b, BookOptions{}); return l, err }},
		{"novel-5x8", func() (*layout, error) { l, _, err := layoutBook(b, BookOptions{Trim: Trim5x8}); return l, err }},
		// Long enough for running heads, continuation pages and page breaks
		// inside paragraphs.
		{"synthetic-6000-6x9", func() (*layout, error) {
			l, _, err := layoutBook(exporttest.Synthetic(6000, 2), BookOptions{})
			return l, err
		}},
		{"novel-reading-letter-ragged", func() (*layout, error) {
			l, _, err := layoutReading(b, ReadingOptions{Paper: PaperLetter, Ragged: true})
			return l, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lay, err := tt.lay()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := lay.dump(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *updatePDF {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update-pdf to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("layout differs from %s (run go test -update-pdf and review the diff):\n%s", path, firstDiff(got.String(), string(want)))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func TestWriteBookIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteBook(&a, exporttest.Novel(), BookOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteBook(&b, exporttest.Novel(), BookOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same book differ")
	}
}

func TestWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBook(&buf, nil, BookOptions{}); err == nil {
		t.Error("WriteBook(nil) succeeded")
	}
	if err := WriteBook(&buf, exporttest.Novel(), BookOptions{FontSize: 40}); err == nil {
		t.Error("WriteBook with a 40 pt body succeeded")
	}
	if err := WriteBook(&buf, exporttest.Novel(), BookOptions{Trim: TrimSize{Name: "bad", Width: -1, Height: 5}}); err == nil {
		t.Error("WriteBook with a negative trim succeeded")
	}
	if err := WriteReading(&buf, nil, ReadingOptions{}); err == nil {
		t.Error("WriteReading(nil) succeeded")
	}
}

// TestEdgeCases writes books a writer might produce: empty, untitled,
// without chapters, with every block type, in another language.
func TestEdgeCases(t *testing.T) {
	rich := richBook(t)
	german := exporttest.Novel()
	german.Language = "de"
	tests := map[string]*export.Book{
		"no chapters": {Title: "Empty"},
		"untitled":    {Chapters: []export.Chapter{{Number: 1, Doc: mustDoc(t, "Text.")}}},
		"rich":        rich,
		"german":      german,
		"empty chapter": {Title: "T", Author: "A", Chapters: []export.Chapter{
			{Number: 1, Title: "Nothing"}, {Number: 2, Title: "Something", Doc: mustDoc(t, "Words.")}}},
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			for _, trim := range TrimSizes() {
				var buf bytes.Buffer
				if err := WriteBook(&buf, b, BookOptions{Trim: trim}); err != nil {
					t.Fatalf("%s: %v", trim.Name, err)
				}
				if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
					t.Fatalf("%s: output is not a PDF", trim.Name)
				}
			}
			var buf bytes.Buffer
			if err := WriteReading(&buf, b, ReadingOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// richBook is the fixture novel with a fourth, untitled chapter using every
// block type and mark.
func richBook(t *testing.T) *export.Book {
	t.Helper()
	rich := exporttest.Novel()
	rich.Chapters = append(rich.Chapters, export.Chapter{Number: 4, Title: "", Doc: mustDoc(t, `# Heading inside

A list:

- first item that is long enough to wrap onto a second line in the narrow measure of the page
- second

1. one
2. two

Super^and^ ~~struck~~ and <u>under</u> and `+"`code`"+` and [a link](https://example.com) and ***bold italic*** and **bold é “quoted”**.

![A grey door](authorworks-file:6f1c2a9e-4b7d-4e0a-9c3f-2d8e5a1b7c40 "Plate 4")

***

***
`)})
	marks := rich.Chapters[3].Doc
	rich.Chapters[3].Doc = append(marks, document.Block{Type: document.Paragraph, Align: document.AlignCenter, Children: []document.Inline{
		{Leaf: document.Leaf{Text: "E = mc"}}, {Leaf: document.Leaf{Text: "2", Superscript: true}},
		{Leaf: document.Leaf{Text: " and H"}}, {Leaf: document.Leaf{Text: "2", Subscript: true}}, {Leaf: document.Leaf{Text: "O, "}},
		{Leaf: document.Leaf{Text: "underlined", Underline: true}}, {Leaf: document.Leaf{Text: " "}},
		{Leaf: document.Leaf{Text: "struck", Strikethrough: true}}, {Leaf: document.Leaf{Text: " and "}},
		{Leaf: document.Leaf{Text: "bold italic", Bold: true, Italic: true, Underline: true}},
	}}, document.Block{Type: document.Paragraph, Indent: 2, Children: []document.Inline{document.Text("An indented aside.")}},
		document.Block{Type: document.PageBreak, Children: []document.Inline{document.Text("")}},
		document.Block{Type: document.Paragraph, Align: document.AlignRight, Children: []document.Inline{document.Text("— the end")}})
	return rich
}
