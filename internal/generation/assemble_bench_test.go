package generation

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkAssemble assembles a scene late in a book of about 100k words and 500
// bible entities (ai-engine.md §6: p95 under 50 ms). Besides ns/op it reports
// the median and 95th percentile of at least 200 timed assemblies:
//
//	go test -run XXX -bench Assemble -benchmem ./internal/generation
func BenchmarkAssemble(b *testing.B) {
	f := newSynthBook(benchSpec)
	sc := f.scenes[len(f.scenes)-2]
	in := f.input(sc, DefaultBudget)
	var samples []time.Duration
	run := func() {
		start := time.Now()
		if _, err := Assemble(in); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
	}
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
	// Too few iterations for a percentile: time more, outside the measurement.
	b.StopTimer()
	for len(samples) < 200 {
		run()
	}
	slices.Sort(samples)
	ms := func(q float64) float64 {
		return float64(samples[int(q*float64(len(samples)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
	b.ReportMetric(float64(len(samples)), "samples")
}
