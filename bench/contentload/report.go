//go:build linux

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/authorworks/authorworks/bench/internal/load"
	"github.com/authorworks/authorworks/bench/internal/report"
	"github.com/authorworks/authorworks/bench/internal/server"
)

// phaseResult is one run: its warm-up and its measured load.
type phaseResult struct {
	warmup *load.Result // nil without a warm-up
	load   *load.Result
}

// errors counts the failures of the warm-up and the measured load together.
func (p *phaseResult) errors() map[string]int {
	out := maps.Clone(p.load.Errors)
	if p.warmup != nil {
		for k, n := range p.warmup.Errors {
			out["warm-up: "+k] += n
		}
	}
	return out
}

func (p *phaseResult) errorCount() int {
	n := 0
	for _, c := range p.errors() {
		n += c
	}
	return n
}

// pair is one operation, on our server and on the baseline.
type pair struct {
	ours, base *phaseResult
}

// result is everything measured on one backend.
type result struct {
	backend  string
	fx       *fixture
	get      pair
	save     pair
	saves    int // saves of the first saving worker's chapter
	versions int // versions in that chapter's history after them
	profiles []string
	appStop  server.StopResult
	baseStop server.StopResult
}

func (r *result) runs() []struct {
	name string
	p    *phaseResult
} {
	return []struct {
		name string
		p    *phaseResult
	}{
		{"ours GET", r.get.ours}, {"baseline GET", r.get.base},
		{"ours PUT", r.save.ours}, {"baseline PUT", r.save.base},
	}
}

// ok reports whether every request succeeded and both servers exited 0 on SIGTERM.
func (r *result) ok() bool {
	for _, run := range r.runs() {
		if run.p.errorCount() > 0 {
			return false
		}
	}
	return r.appStop.Clean() && r.baseStop.Clean()
}

// printSetup prints what every backend's runs share.
func printSetup(w io.Writer, o options, doc *document) {
	fmt.Fprintf(w, "load:       %d workers in closed loops, %s warm-up then %s measured per run; ours and the baseline back to back\n",
		o.concurrency, o.warmup, o.duration)
	fmt.Fprintf(w, "chapter:    %d words (strings.Fields) in %d paragraphs with %d bold/italic runs; save body %d bytes\n",
		doc.words, doc.paragraphs, doc.marked, len(doc.saveBody(1, 1)))
	fmt.Fprintln(w, "baseline:   bare net/http in a subprocess (contentload serve-baseline), one query per request, the server's driver and pool size;")
	fmt.Fprintln(w, "            SQLite: a VACUUM INTO copy of the server's database taken after setup; PostgreSQL: the same database")
	if o.cpuprofile != "" {
		fmt.Fprintln(w, "profiling:  the server was built with the -cpuprofile hook and profiled during its measured runs (a few % slower)")
	}
}

// printBackend prints one backend's comparison table, the runs behind it, and
// every error.
func printBackend(w io.Writer, r *result) {
	ms := report.Ms
	fmt.Fprintf(w, "\n### %s\n\n", r.backend)
	fmt.Fprintln(w, "| operation | ours req/s | baseline req/s | ratio | ours p50/p99 ms | baseline p50/p99 ms | errors |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, op := range []struct {
		name string
		p    pair
	}{
		{"GET /api/stories/{id}", r.get},
		{fmt.Sprintf("PUT /api/chapters/{id} (%d words)", r.fx.chapterWords), r.save},
	} {
		o, b := op.p.ours.load, op.p.base.load
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.2f | %s / %s | %s / %s | %d |\n",
			op.name, o.PerSecond(), b.PerSecond(), o.PerSecond()/b.PerSecond(),
			ms(o.Percentile(50)), ms(o.Percentile(99)), ms(b.Percentile(50)), ms(b.Percentile(99)),
			op.p.ours.errorCount()+op.p.base.errorCount())
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| run | requests | seconds | req/s | p50 ms | p90 ms | p99 ms | max ms | per worker min–max | errors |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, run := range r.runs() {
		l := run.p.load
		fmt.Fprintf(w, "| %s | %d | %.2f | %.0f | %s | %s | %s | %s | %d–%d | %d |\n", run.name, l.Requests, l.Elapsed.Seconds(),
			l.PerSecond(), ms(l.Percentile(50)), ms(l.Percentile(90)), ms(l.Percentile(99)), ms(l.Percentile(100)),
			slices.Min(l.PerWorker), slices.Max(l.PerWorker), run.p.errorCount())
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%s: story with %d-word chapters (word_count); writer 1's chapter: %d saves, %d version(s) in its history\n",
		r.backend, r.fx.chapterWords, r.saves, r.versions)
	fmt.Fprintf(w, "%s: SIGTERM: server %s; baseline %s\n", r.backend, r.appStop, r.baseStop)
	for _, p := range r.profiles {
		fmt.Fprintf(w, "%s: CPU profile %s\n", r.backend, p)
	}
	for _, run := range r.runs() {
		errs := run.p.errors()
		for _, k := range slices.Sorted(maps.Keys(errs)) {
			fmt.Fprintf(w, "%s: ERROR %d × %s: %s\n", r.backend, errs[k], run.name, k)
		}
	}
}
