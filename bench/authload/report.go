//go:build linux

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"
)

// result is everything measured on one backend.
type result struct {
	backend string
	startup time.Duration // process start until GET /health returned 200
	idleRSS float64       // MiB, after healthy and the idle wait
	loadRSS float64       // MiB, right after the measured load
	load    *loadResult
	stop    stopResult
}

// ok reports whether every request succeeded and the server exited 0 on SIGTERM.
func (r *result) ok() bool { return r.load.errorCount() == 0 && r.stop.clean() }

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// printTable prints the results as a markdown table, then the details behind it:
// request counts, how each server stopped, and every error.
func printTable(w io.Writer, results []*result) {
	fmt.Fprintln(w, "| backend | start→healthy ms | idle RSS MiB | RSS after load MiB | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | SIGTERM → exit 0 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		l := r.load
		stopped := "no"
		if r.stop.clean() {
			stopped = "yes, " + ms(r.stop.took) + " ms"
		}
		fmt.Fprintf(w, "| %s | %.0f | %.1f | %.1f | %.0f | %s | %s | %s | %s | %d | %s |\n",
			r.backend, float64(r.startup)/float64(time.Millisecond), r.idleRSS, r.loadRSS, l.perSecond(),
			ms(l.percentile(50)), ms(l.percentile(90)), ms(l.percentile(99)), ms(l.percentile(100)),
			l.errorCount(), stopped)
	}
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintf(w, "%s: %d requests in %.2f s; SIGTERM: %s\n", r.backend, r.load.requests, r.load.elapsed.Seconds(), r.stop)
		for _, k := range slices.Sorted(maps.Keys(r.load.errors)) {
			fmt.Fprintf(w, "%s: ERROR %d × %s\n", r.backend, r.load.errors[k], k)
		}
	}
}
