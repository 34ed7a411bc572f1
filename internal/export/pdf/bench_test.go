package pdf

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// peakHeap runs f and returns the most heap memory in use while it ran,
// sampled every half millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := read(); v > max {
				max = v
			}
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	return <-peak
}

// BenchmarkPrintPDF writes a 150,000-word, 40-chapter novel as a 6×9 in
// print interior (about 400 pages).
//
//	go test -run '^$' -bench PrintPDF -benchtime 5x ./internal/export/pdf/
func BenchmarkPrintPDF(b *testing.B) {
	book := exporttest.Synthetic(150000, 40)
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		p := peakHeap(func() {
			if err := WriteBook(io.Discard, book, BookOptions{}); err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkReadingPDF writes the same novel as an A4 reading PDF.
func BenchmarkReadingPDF(b *testing.B) {
	book := exporttest.Synthetic(150000, 40)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteReading(io.Discard, book, ReadingOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// bookMarkdown is the book as one Markdown file, a level-one heading per
// chapter: the same text the print writer sets.
func bookMarkdown(b *export.Book) string {
	var s strings.Builder
	for _, ch := range b.Chapters {
		s.WriteString("# " + chapterTitle(ch) + "\n\n")
		s.WriteString(ch.Doc.Markdown())
		s.WriteString("\n\n")
	}
	return s.String()
}

// printCSS asks WeasyPrint for the same design: 6×9 in, EB Garamond 11/14,
// justified and hyphenated, mirrored margins, running heads, folios outside,
// chapters on rectos a third down, no widows or orphans.
const printCSS = `
@page { size: 6in 9in; margin: 0.75in 0.625in 0.75in 0.75in; }
@page :left { margin-left: 0.625in; margin-right: 0.75in;
  @top-center { content: "The Long Tide"; font: italic 9.35pt "EB Garamond"; }
  @bottom-left { content: counter(page); font: 9.35pt "EB Garamond"; } }
@page :right {
  @top-center { content: string(chapter); font: italic 9.35pt "EB Garamond"; }
  @bottom-right { content: counter(page); font: 9.35pt "EB Garamond"; } }
@page chapter:right { @top-center { content: none; } }
body { margin: 0; padding: 0; max-width: none; font-size: 11pt; }
html { font: 11pt/14pt "EB Garamond"; text-align: justify; hyphens: auto; widows: 2; orphans: 2; }
h1 { page: chapter; break-before: right; string-set: chapter content(); margin: 2.2in 0 42pt;
  text-align: center; font-size: 17.6pt; font-weight: normal; }
p { margin: 0; text-indent: 11pt; }
h1 + p, hr + p { text-indent: 0; }
hr { border: 0; margin: 14pt 0; text-align: center; }
hr::after { content: "❦"; }
header { display: none; }
`

// TestPrintPDFVersusWeasyPrint times the print writer against pandoc with
// WeasyPrint on the same 150,000-word novel. It runs only with
// AUTHORWORKS_BENCH=1 (it takes about a minute) and needs Debian's pandoc and
// weasyprint.
//
//	AUTHORWORKS_BENCH=1 go test -run VersusWeasyPrint -v ./internal/export/pdf/
func TestPrintPDFVersusWeasyPrint(t *testing.T) {
	if os.Getenv("AUTHORWORKS_BENCH") != "1" {
		t.Skip("set AUTHORWORKS_BENCH=1 to compare with pandoc and WeasyPrint")
	}
	pandoc := testenv.Tool(t, "pandoc")
	testenv.Tool(t, "weasyprint")
	pdfinfo := testenv.Tool(t, "pdfinfo")
	book := exporttest.Synthetic(150000, 40)
	dir := t.TempDir()
	md, css, out := filepath.Join(dir, "novel.md"), filepath.Join(dir, "print.css"), filepath.Join(dir, "weasy.pdf")
	if err := os.WriteFile(md, []byte(bookMarkdown(book)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, []byte(printCSS), 0o644); err != nil {
		t.Fatal(err)
	}

	// Ours: the median of three runs, with the heap peak.
	var ours []time.Duration
	var buf bytes.Buffer
	var peak uint64
	for range 3 {
		buf.Reset()
		start := time.Now()
		p := peakHeap(func() {
			if err := WriteBook(&buf, book, BookOptions{}); err != nil {
				t.Fatal(err)
			}
		})
		ours = append(ours, time.Since(start))
		peak = max(peak, p)
	}
	slices.Sort(ours)
	oursPDF := filepath.Join(dir, "ours.pdf")
	if err := os.WriteFile(oursPDF, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, pandoc, md, "--pdf-engine=weasyprint", "--css", css,
		"--metadata", "title=The Long Tide", "--metadata", "lang=en", "-o", out)
	start := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pandoc: %v\n%s", err, b)
	}
	theirs := time.Since(start)
	// pandoc runs weasyprint as its own child: the largest resident set of
	// all the test's waited-for descendants covers both.
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		t.Fatal(err)
	}
	rssMiB := ru.Maxrss / 1024 // Maxrss is in kilobytes on Linux

	pages := func(path string) string {
		b, err := exec.Command(pdfinfo, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(string(b))[1]
	}
	t.Logf("print PDF, 150,000 words, 40 chapters, 6x9 in:")
	t.Logf("  AuthorWorks WriteBook: %v median of 3 (%v–%v), %s pages, %d KB, peak Go heap %d MiB",
		ours[1].Round(time.Millisecond), ours[0].Round(time.Millisecond), ours[2].Round(time.Millisecond),
		pages(oursPDF), buf.Len()/1024, peak>>20)
	info, _ := os.Stat(out)
	t.Logf("  pandoc --pdf-engine=weasyprint: %v, %s pages, %d KB, peak RSS %d MiB",
		theirs.Round(time.Millisecond), pages(out), info.Size()/1024, rssMiB)
	t.Logf("  ratio: WeasyPrint takes %.0f× as long", theirs.Seconds()/ours[1].Seconds())
}
