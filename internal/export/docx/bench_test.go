package docx

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/export"
	"github.com/authorworks/authorworks/internal/export/exporttest"
	"github.com/authorworks/authorworks/internal/testenv"
)

// peakHeap runs f while sampling the live heap every 50 µs and returns the
// highest heap in use above the heap before f ran (garbage not yet collected
// included, as the process holds it).
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	<-stopped
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// BenchmarkDOCX writes a 150,000-word, 40-chapter novel. Run with
//
//	go test -run '^$' -bench DOCX -benchmem ./internal/export/docx/
func BenchmarkDOCX(b *testing.B) {
	book := exporttest.Synthetic(150_000, 40)
	var size int
	peak := peakHeap(func() {
		var buf bytes.Buffer
		if err := Write(&buf, book, Options{}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(io.Discard, book, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(size)/(1<<10), "docx-KB")
	b.ReportMetric(float64(book.WordCount), "words")
}

// markdown is the book as one Markdown file, the input pandoc converts.
func markdown(b *export.Book) string {
	var s strings.Builder
	for i, c := range b.Chapters {
		s.WriteString("# " + strings.Join(chapterLines(c, i), ": ") + "\n\n")
		s.WriteString(c.Doc.Markdown())
		s.WriteString("\n\n")
	}
	return s.String()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestDOCXVersusPandoc times our writer against `pandoc novel.md -o
// novel.docx` (Debian's pandoc) on the same 150,000-word novel, median of
// three runs each, and logs the ratio. It runs only with AUTHORWORKS_BENCH=1:
//
//	AUTHORWORKS_BENCH=1 go test -run DOCXVersusPandoc -v ./internal/export/docx/
func TestDOCXVersusPandoc(t *testing.T) {
	if os.Getenv("AUTHORWORKS_BENCH") != "1" {
		t.Skip("set AUTHORWORKS_BENCH=1 to compare with pandoc")
	}
	pandoc := testenv.Tool(t, "pandoc")
	book := exporttest.Synthetic(150_000, 40)
	dir := t.TempDir()
	md := filepath.Join(dir, "novel.md")
	if err := os.WriteFile(md, []byte(markdown(book)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	const runs = 3
	var ours, theirs []time.Duration
	var ourPeak uint64
	var theirRSS int64
	for i := range runs {
		path := filepath.Join(dir, "ours-"+strconv.Itoa(i)+".docx")
		var elapsed time.Duration
		peak := peakHeap(func() {
			start := time.Now()
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := Write(f, book, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			elapsed = time.Since(start)
		})
		ours = append(ours, elapsed)
		ourPeak = max(ourPeak, peak)

		cmd := exec.CommandContext(ctx, pandoc, md, "-o", filepath.Join(dir, "pandoc-"+strconv.Itoa(i)+".docx"))
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pandoc: %v\n%s", err, out)
		}
		theirs = append(theirs, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			theirRSS = max(theirRSS, ru.Maxrss) // KiB on Linux
		}
	}
	o, p := median(ours), median(theirs)
	t.Logf("%d words, %d chapters; median of %d runs", book.WordCount, len(book.Chapters), runs)
	t.Logf("docx.Write:             %8.1f ms  (runs %v), peak heap %.1f MB", ms(o), ours, float64(ourPeak)/(1<<20))
	t.Logf("pandoc md -o docx:      %8.1f ms  (runs %v), peak RSS %.1f MB", ms(p), theirs, float64(theirRSS)/1024)
	t.Logf("pandoc / docx.Write:    %8.1fx", float64(p)/float64(o))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
