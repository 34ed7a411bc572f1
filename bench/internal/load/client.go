// Package load drives a server over HTTP for the benchmarks: the one shared
// client, the API's response envelope, registering the benchmark's user, and
// closed-loop load from concurrent workers with every latency recorded.
//
// Every client it makes follows no redirects and uses no proxy, so traffic stays
// on the address the benchmark gives it (127.0.0.1).
package load

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// NewClient returns the one client every worker shares, with an idle pool large
// enough that each of c workers keeps its connection between requests.
func NewClient(c int) *http.Client {
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

// Envelope is the server's response shape.
type Envelope[T any] struct {
	Data  T `json:"data"`
	Error *struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	} `json:"error"`
}

func (e Envelope[T]) errorText() string {
	if e.Error == nil {
		return "no error in envelope"
	}
	return e.Error.Code + ": " + e.Error.Message
}

// DoJSON sends req and decodes its envelope into out, failing unless the status
// is want.
func DoJSON[T any](client *http.Client, req *http.Request, want int, out *Envelope[T]) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
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

// Call sends method url with body (JSON, or nil) and the bearer token (if any)
// and decodes the response's envelope into out, failing unless the status is want.
func Call[T any](ctx context.Context, client *http.Client, method, url, token string, body any, want int, out *Envelope[T]) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if err := DoJSON(client, req, want, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, req.URL.Path, err)
	}
	return nil
}

// Register registers one fresh user on the server at base and returns its access
// token, after checking that GET /api/auth/profile answers for it. Registration
// is rate limited per IP, so a benchmark does it once per server.
func Register(ctx context.Context, client *http.Client, base string) (string, error) {
	suffix := strings.ToLower(rand.Text()[:12])
	username := "bench_" + suffix
	var reg Envelope[struct {
		AccessToken string `json:"access_token"`
	}]
	err := Call(ctx, client, http.MethodPost, base+"/api/auth/register", "", map[string]string{
		"email":    "bench-" + suffix + "@example.com",
		"username": username,
		"password": rand.Text(),
	}, http.StatusCreated, &reg)
	if err != nil {
		return "", err
	}
	if reg.Data.AccessToken == "" {
		return "", fmt.Errorf("POST /api/auth/register: no data.access_token in the response")
	}
	var prof Envelope[struct {
		Username string `json:"username"`
	}]
	if err := Call(ctx, client, http.MethodGet, base+"/api/auth/profile", reg.Data.AccessToken, nil, http.StatusOK, &prof); err != nil {
		return "", err
	}
	if prof.Data.Username != username {
		return "", fmt.Errorf("GET /api/auth/profile: got username %q, want %q", prof.Data.Username, username)
	}
	return reg.Data.AccessToken, nil
}
