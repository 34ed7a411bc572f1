//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// newClient returns the one client every worker shares, with an idle pool large
// enough that each of c workers keeps its connection between requests. It never
// follows redirects, so traffic stays on the server's 127.0.0.1 address.
func newClient(c int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        c,
			MaxIdleConnsPerHost: c,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// envelope is the server's response shape.
type envelope[T any] struct {
	Data  T `json:"data"`
	Error *struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	} `json:"error"`
}

func (e envelope[T]) errorText() string {
	if e.Error == nil {
		return "no error in envelope"
	}
	return e.Error.Code + ": " + e.Error.Message
}

// registerUser registers one fresh user and returns its access token, after
// checking that GET /api/auth/profile answers for it. Registration is rate
// limited per IP, so the benchmark does it once per server.
func registerUser(ctx context.Context, client *http.Client, base string) (string, error) {
	suffix := randomHex(6)
	username := "bench_" + suffix
	body, err := json.Marshal(map[string]string{
		"email":    "bench-" + suffix + "@example.com",
		"username": username,
		"password": randomToken(18),
	})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/auth/register", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	var reg envelope[struct {
		AccessToken string `json:"access_token"`
	}]
	if err := doJSON(client, req, http.StatusCreated, &reg); err != nil {
		return "", fmt.Errorf("POST /api/auth/register: %w", err)
	}
	if reg.Data.AccessToken == "" {
		return "", fmt.Errorf("POST /api/auth/register: no data.access_token in the response")
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/auth/profile", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+reg.Data.AccessToken)
	var prof envelope[struct {
		Username string `json:"username"`
	}]
	if err := doJSON(client, req, http.StatusOK, &prof); err != nil {
		return "", fmt.Errorf("GET /api/auth/profile: %w", err)
	}
	if prof.Data.Username != username {
		return "", fmt.Errorf("GET /api/auth/profile: got username %q, want %q", prof.Data.Username, username)
	}
	return reg.Data.AccessToken, nil
}

// doJSON sends req and decodes its envelope into out, failing unless the status
// is want.
func doJSON[T any](client *http.Client, req *http.Request, want int, out *envelope[T]) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	decErr := json.Unmarshal(b, out)
	if resp.StatusCode != want {
		msg := out.errorText()
		if decErr != nil {
			msg = string(b)
		}
		return fmt.Errorf("got HTTP %d (%s), want %d", resp.StatusCode, msg, want)
	}
	if decErr != nil {
		return fmt.Errorf("decode body: %w", decErr)
	}
	return nil
}

// loadResult is what one load phase measured.
type loadResult struct {
	requests  int             // completed requests, successful or not
	elapsed   time.Duration   // from the start until the last worker finished
	latencies []time.Duration // of the 200 responses, sorted
	errors    map[string]int  // non-200 statuses and transport errors, with counts
}

func (r *loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// percentile returns the nearest-rank p-th percentile of the latencies.
func (r *loadResult) percentile(p float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	i := int(math.Ceil(float64(n)*p/100)) - 1
	return r.latencies[min(max(i, 0), n-1)]
}

func (r *loadResult) errorCount() int {
	n := 0
	for _, c := range r.errors {
		n += c
	}
	return n
}

// hammer sends GET url with the bearer token from c workers, each in a closed
// loop, until d has passed, and records every latency. Requests in flight at the
// deadline finish and are counted; none starts after it.
func hammer(ctx context.Context, client *http.Client, url, token string, c int, d time.Duration) (*loadResult, error) {
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
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				t.errs[err.Error()]++
				return
			}
			req.Header.Set("Authorization", "Bearer "+token)
			for time.Now().Before(end) && ctx.Err() == nil {
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						t.errs[err.Error()]++
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat := time.Since(t0)
				switch {
				case resp.StatusCode != http.StatusOK:
					t.errs["HTTP "+strconv.Itoa(resp.StatusCode)]++
				case err != nil:
					t.errs["read body: "+err.Error()]++
				default:
					t.lat = append(t.lat, lat)
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	r := &loadResult{elapsed: time.Since(start), errors: map[string]int{}}
	for _, t := range tallies {
		r.latencies = append(r.latencies, t.lat...)
		for k, v := range t.errs {
			r.errors[k] += v
		}
	}
	slices.Sort(r.latencies)
	r.requests = len(r.latencies) + r.errorCount()
	return r, nil
}
