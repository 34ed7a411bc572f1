package load

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Result is what one load phase measured.
type Result struct {
	// Requests counts completed requests, successful or not.
	Requests int
	// Elapsed runs from the start until the last worker finished.
	Elapsed time.Duration
	// Latencies are those of the successful requests, sorted.
	Latencies []time.Duration
	// PerWorker counts each worker's successful requests: how evenly the
	// server served them.
	PerWorker []int
	// Errors counts the failures (non-200 statuses, transport errors, bad
	// bodies) by their text.
	Errors map[string]int
}

// PerSecond returns the completed requests per second of wall time.
func (r *Result) PerSecond() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Percentile returns the nearest-rank p-th percentile of the latencies.
func (r *Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(math.Ceil(float64(n)*p/100)) - 1
	return r.Latencies[min(max(i, 0), n-1)]
}

// ErrorCount returns the number of failed requests.
func (r *Result) ErrorCount() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// Step sends one request and reads its whole response. It returns nil on
// success, or an error whose text names the kind of failure ("HTTP 409"), by
// which Result.Errors counts it.
type Step func() error

// Run runs c workers, worker i calling the step newStep(i) returns in a closed
// loop, until d has passed, and records the latency of every step. Steps in
// flight at the deadline finish and are counted; none starts after it. Failures
// after ctx is done are not counted: Run then returns the context's cause.
func Run(ctx context.Context, c int, d time.Duration, newStep func(worker int) (Step, error)) (*Result, error) {
	steps := make([]Step, c)
	for i := range steps {
		var err error
		if steps[i], err = newStep(i); err != nil {
			return nil, err
		}
	}
	type tally struct {
		lat  []time.Duration
		errs map[string]int
	}
	tallies := make([]tally, c)
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for i := range tallies {
		wg.Go(func() {
			t := &tallies[i]
			t.lat = make([]time.Duration, 0, 1<<14)
			t.errs = map[string]int{}
			for time.Now().Before(end) && ctx.Err() == nil {
				t0 := time.Now()
				err := steps[i]()
				lat := time.Since(t0)
				switch {
				case err == nil:
					t.lat = append(t.lat, lat)
				case ctx.Err() == nil:
					t.errs[err.Error()]++
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	r := &Result{Elapsed: time.Since(start), Errors: map[string]int{}, PerWorker: make([]int, c)}
	for i, t := range tallies {
		r.Latencies = append(r.Latencies, t.lat...)
		r.PerWorker[i] = len(t.lat)
		for k, v := range t.errs {
			r.Errors[k] += v
		}
	}
	slices.Sort(r.Latencies)
	r.Requests = len(r.Latencies) + r.ErrorCount()
	return r, nil
}

// StatusError is the failure of a response with an unexpected status.
func StatusError(code int) error { return errors.New("HTTP " + strconv.Itoa(code)) }

// Get returns a step that sends GET url, with the bearer token unless it is
// empty, reads the body and expects 200.
func Get(ctx context.Context, client *http.Client, url, token string) (Step, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return func() error {
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode != http.StatusOK:
			return StatusError(resp.StatusCode)
		case err != nil:
			return errors.New("read body: " + err.Error())
		}
		return nil
	}, nil
}
