package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

var pagesDir = flag.String("pdf-pages", "", "render pages of the test PDFs to PNG (pdftoppm -r 50) in this directory, to look at")

// writeTemp writes a PDF made by write to a file in a test directory.
func writeTemp(t *testing.T, name string, write func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testenv.Tool(t, tool), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// word is one word pdftotext found, with its box in points from the top left.
type word struct {
	page             int
	left, top, width float64
	text             string
}

// words runs pdftotext -tsv, which reports each word with its position and,
// unlike plain pdftotext, does not join hyphenated words.
func words(t *testing.T, path string) map[int][]word {
	t.Helper()
	out := run(t, "pdftotext", "-tsv", path, "-")
	pages := map[int][]word{}
	for _, ln := range strings.Split(out, "\n")[1:] {
		f := strings.Split(ln, "\t")
		if len(f) != 12 || f[0] != "5" {
			continue
		}
		w := word{text: f[11]}
		w.page, _ = strconv.Atoi(f[1])
		w.left, _ = strconv.ParseFloat(f[6], 64)
		w.top, _ = strconv.ParseFloat(f[7], 64)
		w.width, _ = strconv.ParseFloat(f[8], 64)
		pages[w.page] = append(pages[w.page], w)
	}
	return pages
}

// zone splits a page's words into the running head (above the text block),
// the body, and the foot (below it).
func zone(ws []word, g geometry) (head, body, foot []word) {
	for _, w := range ws {
		switch {
		case w.top < g.top-2:
			head = append(head, w)
		case w.top > g.height-g.bottom+2:
			foot = append(foot, w)
		default:
			body = append(body, w)
		}
	}
	return head, body, foot
}

func joinWords(ws []word) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.text
	}
	return strings.Join(s, " ")
}

// TestPrintPDFWithPoppler checks the written PDF with an independent reader:
// page size and TrimBox equal the trim, every font embedded, chapters on
// rectos without running heads, the book title heading versos and the
// chapter title rectos, folios on the outside, mirrored margins, and every
// chapter's text on its pages in order.
func TestPrintPDFWithPoppler(t *testing.T) {
	books := map[string]*export.Book{"novel": exporttest.Novel(), "synthetic": exporttest.Synthetic(20000, 5)}
	sizes := map[string]string{"6x9": "432 x 648", "5x8": "360 x 576", "5.5x8.5": "396 x 612", "A5": "419.53 x 595.28"}
	for _, trim := range TrimSizes() {
		for name, b := range books {
			t.Run(trim.Name+"/"+name, func(t *testing.T) {
				opts := BookOptions{Trim: trim}
				lay, _, err := layoutBook(b, opts)
				if err != nil {
					t.Fatal(err)
				}
				g, _ := bookGeometry(b, opts)
				path := writeTemp(t, name+".pdf", func(buf *bytes.Buffer) error { return WriteBook(buf, b, opts) })

				info := run(t, "pdfinfo", "-box", path)
				if want := "Page size:       " + sizes[trim.Name] + " pts"; !strings.Contains(info, want) {
					t.Errorf("pdfinfo: want %q in\n%s", want, info)
				}
				if want := fmt.Sprintf("Pages:           %d\n", len(lay.pages)); !strings.Contains(info, want) {
					t.Errorf("pdfinfo: want %q (the layout's count) in\n%s", want, info)
				}
				if m := regexp.MustCompile(`TrimBox:\s+0\.00\s+0\.00\s+([\d.]+)\s+([\d.]+)`).FindStringSubmatch(info); m == nil ||
					!near(m[1], trim.Width) || !near(m[2], trim.Height) {
					t.Errorf("pdfinfo: TrimBox is not the page: %v", m)
				}
				checkFontsEmbedded(t, path)
				checkPages(t, b, lay, g, words(t, path))
				if *pagesDir != "" {
					renderPNG(t, path, fmt.Sprintf("%s-%s", name, trim.Name), len(lay.pages))
				}
			})
		}
	}
}

func near(s string, want float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && math.Abs(f-want) < 0.01
}

func checkFontsEmbedded(t *testing.T, path string) {
	t.Helper()
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", out)
	}
	for _, ln := range lines[2:] {
		f := strings.Fields(ln)
		// name type… encoding emb sub uni object ID: emb is the fifth from the end.
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", ln)
		}
	}
}

func checkPages(t *testing.T, b *export.Book, lay *layout, g geometry, byPage map[int][]word) {
	t.Helper()
	chapterText := map[int]*strings.Builder{}
	for _, p := range lay.pages {
		ws := byPage[p.number]
		head, body, foot := zone(ws, g)
		folio := strconv.Itoa(p.number)
		switch p.kind {
		case pageTitle:
			if got := lettersOf(joinWords(ws)); !strings.Contains(got, lettersOf(b.Title)) || !strings.Contains(got, lettersOf(b.Author)) {
				t.Errorf("title page reads %q, want the title and author", joinWords(ws))
			}
		case pageCopyright:
			if got := joinWords(ws); !strings.Contains(got, "©") || !strings.Contains(got, "2026") {
				t.Errorf("copyright page reads %q", got)
			}
		case pageBlank:
			if len(ws) != 0 {
				t.Errorf("blank page %d holds %q", p.number, joinWords(ws))
			}
		case pageOpener, pageBody:
			ch := b.Chapters[p.chapter-1]
			if p.kind == pageOpener {
				if p.number%2 == 0 {
					t.Errorf("chapter %d opens on page %d, a verso", p.chapter, p.number)
				}
				if len(head) != 0 {
					t.Errorf("opener page %d has a running head %q", p.number, joinWords(head))
				}
			} else {
				want := b.Title
				if p.number%2 == 1 {
					want = chapterTitle(ch)
				}
				if got := joinWords(head); got != want {
					t.Errorf("page %d: running head %q, want %q", p.number, got, want)
				}
			}
			if len(foot) != 1 || foot[0].text != folio {
				t.Errorf("page %d: foot reads %q, want the folio %s", p.number, joinWords(foot), folio)
			} else {
				// Folios sit at the outside edge: right on rectos, left on versos.
				right := foot[0].left + foot[0].width
				if p.number%2 == 1 && math.Abs(right-(g.width-g.outside)) > 0.5 ||
					p.number%2 == 0 && math.Abs(foot[0].left-g.outside) > 0.5 {
					t.Errorf("page %d: folio at %.1f–%.1f is not at the outside margin", p.number, foot[0].left, right)
				}
			}
			// Mirrored margins: the text block starts at the gutter on rectos.
			minLeft := math.Inf(1)
			for _, w := range body {
				minLeft = math.Min(minLeft, w.left)
			}
			wantLeft := lay.inside
			if p.number%2 == 0 {
				wantLeft = lay.outside
			}
			if math.Abs(minLeft-wantLeft) > 0.5 {
				t.Errorf("page %d: text starts at x %.1f, want %.1f", p.number, minLeft, wantLeft)
			}
			sb := chapterText[p.chapter]
			if sb == nil {
				sb = &strings.Builder{}
				chapterText[p.chapter] = sb
			}
			sb.WriteString(joinWords(body) + " ")
		}
	}
	for i, ch := range b.Chapters {
		got := lettersOf(chapterText[i+1].String())
		want := lettersOf(chapterTitle(ch) + ch.Doc.PlainText())
		if !strings.HasPrefix(chapterTitle(ch), "Chapter") {
			want = strconv.Itoa(ch.Number) + want
		}
		if got != want {
			t.Errorf("chapter %d: its pages read\n%.300q…\nwant\n%.300q…", i+1, got, want)
		}
	}
}

// renderPNG writes PNGs of pages 1–6 and a spread from the middle.
func renderPNG(t *testing.T, path, prefix string, pages int) {
	t.Helper()
	if err := os.MkdirAll(*pagesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(*pagesDir, prefix)
	run(t, "pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "6", path, out)
	mid := pages / 2 &^ 1 // an even page: the verso of a spread
	run(t, "pdftoppm", "-png", "-r", "50", "-f", strconv.Itoa(mid), "-l", strconv.Itoa(mid+1), path, out+"-spread")
}

func TestReadingPDFWithPoppler(t *testing.T) {
	b := exporttest.Synthetic(20000, 5)
	for _, tt := range []struct {
		opts ReadingOptions
		size string
	}{
		{ReadingOptions{}, "595.28 x 841.89 pts (A4)"},
		{ReadingOptions{Paper: PaperLetter, Ragged: true}, "612 x 792 pts (letter)"},
	} {
		t.Run(tt.size, func(t *testing.T) {
			lay, _, err := layoutReading(b, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			path := writeTemp(t, "reading.pdf", func(buf *bytes.Buffer) error { return WriteReading(buf, b, tt.opts) })
			info := run(t, "pdfinfo", path)
			if !strings.Contains(info, "Page size:       "+tt.size) {
				t.Errorf("pdfinfo: want page size %s in\n%s", tt.size, info)
			}
			checkFontsEmbedded(t, path)
			byPage := words(t, path)
			g := geometry{top: 72, bottom: 72, height: lay.height}
			chapters := 0
			for _, p := range lay.pages[1:] {
				head, _, foot := zone(byPage[p.number], g)
				if len(head) != 0 {
					t.Errorf("page %d has a running head %q", p.number, joinWords(head))
				}
				if len(foot) != 1 || foot[0].text != strconv.Itoa(p.number) {
					t.Errorf("page %d: foot reads %q, want its number", p.number, joinWords(foot))
				} else if centre := foot[0].left + foot[0].width/2; math.Abs(centre-lay.width/2) > 0.5 {
					t.Errorf("page %d: page number centred at %.1f, want %.1f", p.number, centre, lay.width/2)
				}
				if p.kind == pageOpener {
					chapters++
				}
			}
			if chapters != len(b.Chapters) {
				t.Errorf("%d chapters open a page, want %d", chapters, len(b.Chapters))
			}
			if *pagesDir != "" {
				name := tt.opts.Paper.Name
				if name == "" {
					name = PaperA4.Name
				}
				renderPNG(t, path, "reading-"+name, len(lay.pages))
			}
		})
	}
}
