package epub

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// BenchmarkEPUB writes the 150,000-word, 40-chapter synthetic novel. Besides
// time and allocations it reports peak-heap-MB, the most heap the writer held
// above what the book itself takes (sampled by heapSampler), and epub-MB, the
// size of the file.
//
//	go test -run '^$' -bench BenchmarkEPUB -benchtime 20x ./internal/export/epub/
func BenchmarkEPUB(b *testing.B) {
	book := exporttest.Synthetic(150_000, 40)
	cw := &countWriter{}
	if err := Write(cw, book); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	s := startHeapSampler()
	for b.Loop() {
		if err := Write(io.Discard, book); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.stop())/1e6, "peak-heap-MB")
	b.ReportMetric(float64(cw.n)/1e6, "epub-MB")
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// heapSampler tracks the high-water mark of the heap's live and not yet swept
// objects (MemStats.HeapAlloc) above a baseline taken after a GC. It reads
// runtime/metrics every 200µs from a goroutine; unlike ReadMemStats that does
// not stop the world, so it barely disturbs what it measures.
type heapSampler struct {
	base uint64
	quit chan struct{}
	peak chan uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	runtime.GC()
	sample := []metrics.Sample{{Name: heapMetric}}
	h := &heapSampler{base: heapBytes(sample), quit: make(chan struct{}), peak: make(chan uint64)}
	go func() {
		sample := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		var peak uint64
		for {
			peak = max(peak, heapBytes(sample))
			select {
			case <-h.quit:
				h.peak <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

// stop ends sampling and returns the peak above the baseline.
func (h *heapSampler) stop() uint64 {
	close(h.quit)
	peak := <-h.peak
	if peak < h.base {
		return 0
	}
	return peak - h.base
}

// bookMarkdown is the book as one Markdown file, chapters as level-1
// headings: what pandoc gets for the same text.
func bookMarkdown(b *export.Book) string {
	var s strings.Builder
	for _, c := range b.Chapters {
		fmt.Fprintf(&s, "# %s\n\n%s\n", c.Title, c.Doc.Markdown())
	}
	return s.String()
}

// helperEnv names the file TestEPUBWriterProcess writes to when the test
// binary is run again as a child, so its peak RSS can be measured like
// pandoc's.
const helperEnv = "AUTHORWORKS_EPUB_HELPER_OUT"

// TestEPUBWriterProcess is not a test: it is the child process
// TestEPUBVersusPandoc starts to measure a whole export process.
func TestEPUBWriterProcess(t *testing.T) {
	out := os.Getenv(helperEnv)
	if out == "" {
		t.Skip("helper process for TestEPUBVersusPandoc")
	}
	if err := writeFile(out, exporttest.Synthetic(150_000, 40)); err != nil {
		t.Fatal(err)
	}
}

func writeFile(path string, b *export.Book) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = Write(w, b)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// run times a command, run with the extra environment variables env, and
// returns its wall time and peak RSS.
func run(t *testing.T, env []string, name string, args ...string) (time.Duration, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return wall, maxRSS(cmd.ProcessState)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func mb(rss int64) string {
	if rss <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MB", float64(rss)/1e6)
}

// TestEPUBVersusPandoc compares the writer with pandoc (the Debian package,
// 2.17 here) converting the same 150,000-word novel, as Markdown, to EPUB in
// the same run, and validates both files with EPUBCheck. It takes about a
// minute, so it runs only with AUTHORWORKS_BENCH=1:
//
//	AUTHORWORKS_BENCH=1 go test -run TestEPUBVersusPandoc -v ./internal/export/epub/
func TestEPUBVersusPandoc(t *testing.T) {
	if os.Getenv("AUTHORWORKS_BENCH") != "1" {
		t.Skip("set AUTHORWORKS_BENCH=1 to compare with pandoc")
	}
	pandoc := testenv.Tool(t, "pandoc")
	const runs = 3
	book := exporttest.Synthetic(150_000, 40)
	dir := t.TempDir()
	md := filepath.Join(dir, "novel.md")
	if err := os.WriteFile(md, []byte(bookMarkdown(book)), 0o644); err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(dir, "ours.epub")

	// In process: Write alone, from a Book in memory, after one warm-up.
	if err := writeFile(ours, book); err != nil {
		t.Fatal(err)
	}
	var walls []time.Duration
	var peak uint64
	for range 2*runs + 1 {
		s := startHeapSampler()
		start := time.Now()
		if err := writeFile(ours, book); err != nil {
			t.Fatal(err)
		}
		walls = append(walls, time.Since(start))
		peak = max(peak, s.stop())
	}
	inProcess := median(walls)

	// Whole processes: this test binary building the book and writing it,
	// against pandoc reading the Markdown and writing EPUB.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var selfWalls, pandocWalls []time.Duration
	var selfRSS, pandocRSS int64
	for range runs {
		w, rss := run(t, []string{helperEnv + "=" + filepath.Join(dir, "child.epub")}, self, "-test.run=^TestEPUBWriterProcess$", "-test.count=1")
		selfWalls, selfRSS = append(selfWalls, w), max(selfRSS, rss)
		w, rss = run(t, nil, pandoc, md, "--toc", "-o", filepath.Join(dir, "pandoc.epub"))
		pandocWalls, pandocRSS = append(pandocWalls, w), max(pandocRSS, rss)
	}
	selfWall, pandocWall := median(selfWalls), median(pandocWalls)
	info, err := os.Stat(ours)
	if err != nil {
		t.Fatal(err)
	}
	pinfo, err := os.Stat(filepath.Join(dir, "pandoc.epub"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("synthetic novel: %d words, %d chapters, %d KB of Markdown; medians of %d runs (%d in process), %d CPUs",
		book.WordCount, len(book.Chapters), len(bookMarkdown(book))/1000, runs, len(walls), runtime.NumCPU())
	t.Logf("epub.Write (in process)         %8.1f ms  peak heap %5.1f MB  %4d KB EPUB", ms(inProcess), float64(peak)/1e6, info.Size()/1000)
	t.Logf("test binary: build book + Write %8.1f ms  peak RSS  %s", ms(selfWall), mb(selfRSS))
	t.Logf("pandoc novel.md --toc -o .epub  %8.1f ms  peak RSS  %s  %4d KB EPUB", ms(pandocWall), mb(pandocRSS), pinfo.Size()/1000)
	t.Logf("pandoc / epub.Write = %.0f×; pandoc / whole process = %.0f×",
		float64(pandocWall)/float64(inProcess), float64(pandocWall)/float64(selfWall))

	command := epubcheckCommand(t)
	t.Run("epubcheck ours", func(t *testing.T) {
		data, err := os.ReadFile(ours)
		if err != nil {
			t.Fatal(err)
		}
		epubcheck(t, command, data)
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
