package docx

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// writeFile writes b as a .docx into dir and returns its path.
func writeFile(tb testing.TB, dir, name string, b *export.Book, opts Options) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, render(tb, b, opts), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// run runs a command and returns its standard output.
func run(tb testing.TB, ctx context.Context, name string, args ...string) string {
	tb.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// pdfPages returns the page count of a PDF (pdfinfo) and the text of each
// page (pdftotext; pages end with a form feed).
func pdfPages(tb testing.TB, ctx context.Context, pdf string) (int, []string) {
	tb.Helper()
	info := run(tb, ctx, testenv.Tool(tb, "pdfinfo"), pdf)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		tb.Fatalf("pdfinfo %s has no page count:\n%s", pdf, info)
	}
	n, _ := strconv.Atoi(m[1])
	text := run(tb, ctx, testenv.Tool(tb, "pdftotext"), "-enc", "UTF-8", pdf, "-")
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages) != n {
		tb.Fatalf("pdftotext gave %d pages, pdfinfo says %d", len(pages), n)
	}
	return n, pages
}

// lines returns the non-empty, trimmed lines of a page.
func lines(page string) []string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestLibreOffice converts the novel fixture and a 30,000-word synthetic novel
// to PDF with LibreOffice, in one soffice run, and checks what a reader of the
// printed manuscript sees: the title page, the running headers, a chapter at
// the top of its own page, a plausible page count and END on the last page.
func TestLibreOffice(t *testing.T) {
	t.Parallel()
	soffice := testenv.Tool(t, "soffice")
	testenv.Tool(t, "pdfinfo")
	testenv.Tool(t, "pdftotext")
	pdffonts := testenv.Tool(t, "pdffonts")

	dir := t.TempDir()
	novel, synthetic := exporttest.Novel(), exporttest.Synthetic(30_000, 8)
	files := []string{writeFile(t, dir, "novel.docx", novel, Options{}), writeFile(t, dir, "synthetic.docx", synthetic, Options{})}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	// A private profile per run: soffice refuses to share one between processes.
	args := append([]string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir}, files...)
	run(t, ctx, soffice, args...)
	t.Logf("soffice converted %d files in %v", len(files), time.Since(start).Round(time.Millisecond))

	for _, tc := range []struct {
		name string
		book *export.Book
		// Page count bounds: the title page, a page per chapter opening, and
		// the body at 200–350 words a page (about 250 in Times New Roman 12
		// pt, double-spaced).
		minPages, maxPages int
	}{
		{"novel", novel, 1 + len(novel.Chapters), 1 + 2*len(novel.Chapters)},
		{"synthetic", synthetic, 1 + len(synthetic.Chapters) + synthetic.WordCount/350, 1 + len(synthetic.Chapters) + synthetic.WordCount/200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := filepath.Join(dir, tc.name+".pdf")
			n, pages := pdfPages(t, ctx, pdf)
			t.Logf("%s: %d words on %d pages", tc.name, tc.book.WordCount, n)
			if n < tc.minPages || n > tc.maxPages {
				t.Errorf("%d pages, want %d–%d", n, tc.minPages, tc.maxPages)
			}

			first := strings.Join(lines(pages[0]), "\n")
			for _, s := range []string{"Ada Marsh", "12 Harbour Row", "Port Aster PA1 2BC", "+44 20 7946 0000", "ada@example.com",
				fmt.Sprintf("about %s words", groupThousands(approxWords(tc.book.WordCount))), tc.book.Title, "by Ada Marsh"} {
				if !strings.Contains(first, s) {
					t.Errorf("page 1 lacks %q:\n%s", s, first)
				}
			}
			prefix := headerPrefix(tc.book, keyword(tc.book.Title))
			if strings.Contains(first, prefix) {
				t.Errorf("page 1 carries the running header:\n%s", first)
			}

			chapter := 0
			for i, page := range pages[1:] {
				ls := lines(page)
				if want := prefix + strconv.Itoa(i+2); len(ls) == 0 || ls[0] != want {
					t.Fatalf("page %d starts %q, want the header %q", i+2, strings.Join(ls[:min(len(ls), 1)], ""), want)
				}
				// A chapter opening page reads its heading straight after the header.
				if len(ls) > 1 && ls[1] == fmt.Sprintf("Chapter %d", chapter+1) {
					chapter++
				}
			}
			if chapter != len(tc.book.Chapters) {
				t.Errorf("found %d chapter opening pages, want %d", chapter, len(tc.book.Chapters))
			}
			if last := lines(pages[n-1]); last[len(last)-1] != "END" {
				t.Errorf("last page ends %q, want END", last[len(last)-1])
			}

			fonts := run(t, ctx, pdffonts, pdf)
			if !regexp.MustCompile(`(?i)(Times|LiberationSerif)\S*-Italic`).MatchString(fonts) {
				t.Errorf("no italic serif font embedded; italics are not real italics:\n%s", fonts)
			}
		})
	}
}

// TestPandocReadBack reads the manuscripts back with pandoc, as importers and
// editors' tools do: every chapter heading must come back as a heading, and
// italics as emphasis.
func TestPandocReadBack(t *testing.T) {
	t.Parallel()
	pandoc := testenv.Tool(t, "pandoc")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	heading := regexp.MustCompile(`(?m)^# (.*)$`)

	for _, tc := range []struct {
		name string
		book *export.Book
		want []string // text pandoc's Markdown must contain
	}{
		{"novel", exporttest.Novel(), []string{"*something older*", "**island**", "> Whoever holds the map holds the harbour.", "\\#", "END"}},
		{"synthetic", exporttest.Synthetic(30_000, 8), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.name+".docx", tc.book, Options{})
			md := run(t, ctx, pandoc, "-f", "docx", "-t", "markdown", "--wrap=none", path)
			var got []string
			for _, m := range heading.FindAllStringSubmatch(md, -1) {
				got = append(got, m[1])
			}
			if len(got) != len(tc.book.Chapters) {
				t.Fatalf("pandoc found %d level-1 headings, want %d: %q", len(got), len(tc.book.Chapters), got)
			}
			for i, c := range tc.book.Chapters {
				if want := strings.Join(chapterLines(c, i), " "); got[i] != want {
					t.Errorf("heading %d = %q, want %q", i+1, got[i], want)
				}
			}
			for _, s := range tc.want {
				if !strings.Contains(md, s) {
					t.Errorf("pandoc's Markdown lacks %q", s)
				}
			}
			// Every italic word of the source comes back in *…*.
			src, back := 0, strings.Count(md, "*")
			for _, c := range tc.book.Chapters {
				for _, b := range c.Doc {
					for _, in := range b.Children {
						if in.Leaf.Italic && !in.Leaf.Bold {
							src++
						}
					}
				}
			}
			if italics := regexp.MustCompile(`(^|[^*])\*[^*\s][^*]*\*`).FindAllString(md, -1); len(italics) != src {
				t.Errorf("pandoc found %d italic runs, the book has %d (%d asterisks)", len(italics), src, back)
			}
		})
	}
}
