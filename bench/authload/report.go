//go:build linux

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/authorworks/authorworks/bench/internal/load"
	"github.com/authorworks/authorworks/bench/internal/report"
	"github.com/authorworks/authorworks/bench/internal/server"
)

// result is everything measured on one backend.
type result struct {
	backend string
	startup time.Duration // process start until GET /health returned 200
	idleRSS float64       // MiB, after healthy and the idle wait
	loadRSS float64       // MiB, right after the measured load
	load    *load.Result
	stop    server.StopResult
}

// ok reports whether every request succeeded and the server exited 0 on SIGTERM.
func (r *result) ok() bool { return r.load.ErrorCount() == 0 && r.stop.Clean() }

// printTable prints the results as a markdown table, then the details behind it:
// request counts, how each server stopped, and every error.
func printTable(w io.Writer, results []*result) {
	ms := report.Ms
	fmt.Fprintln(w, "| backend | start→healthy ms | idle RSS MiB | RSS after load MiB | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | SIGTERM → exit 0 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		l := r.load
		stopped := "no"
		if r.stop.Clean() {
			stopped = "yes, " + ms(r.stop.Took) + " ms"
		}
		fmt.Fprintf(w, "| %s | %.0f | %.1f | %.1f | %.0f | %s | %s | %s | %s | %d | %s |\n",
			r.backend, float64(r.startup)/float64(time.Millisecond), r.idleRSS, r.loadRSS, l.PerSecond(),
			ms(l.Percentile(50)), ms(l.Percentile(90)), ms(l.Percentile(99)), ms(l.Percentile(100)),
			l.ErrorCount(), stopped)
	}
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintf(w, "%s: %d requests in %.2f s; SIGTERM: %s\n", r.backend, r.load.Requests, r.load.Elapsed.Seconds(), r.stop)
		for _, k := range slices.Sorted(maps.Keys(r.load.Errors)) {
			fmt.Fprintf(w, "%s: ERROR %d × %s\n", r.backend, r.load.Errors[k], k)
		}
	}
}
