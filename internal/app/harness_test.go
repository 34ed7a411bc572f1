package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/app"
	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/config"
	"github.com/authorworks/authorworks/internal/testenv"
)

// fakeClock is a settable clock shared by the app under test and the test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Now().UTC()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// backend names a set of backing services the app can run on.
type backend string

const (
	embedded   backend = "sqlite"         // SQLite, in-process cache and limiter
	production backend = "postgres+redis" // PostgreSQL and Redis
)

var backends = []backend{embedded, production}

// testApp is an AuthorWorks process booted on a random loopback port.
type testApp struct {
	*app.App
	URL   string
	Clock *fakeClock
	env   map[string]string
	// stop shuts the process down as SIGTERM would; the test's cleanup calls it too.
	stop func()
}

// bootOption adjusts the environment or options before boot.
type bootOption func(env map[string]string, o *app.Options)

func withEnv(k, v string) bootOption {
	return func(env map[string]string, _ *app.Options) { env[k] = v }
}

// boot starts the whole app on 127.0.0.1:0 against the given backend and stops it
// when the test ends. With the production backend it gets a fresh PostgreSQL
// database and a private Redis key prefix.
func boot(t testing.TB, b backend, opts ...bootOption) *testApp {
	t.Helper()
	env := map[string]string{
		"AUTHORWORKS_DATA_DIR": t.TempDir(),
		"LOG_LEVEL":            "warn",
	}
	if b == production {
		env["DATABASE_URL"] = testenv.PostgresURL(t)
		env["REDIS_URL"] = testenv.RedisURL(t)
		env["REDIS_PREFIX"] = testenv.UniquePrefix(t)
		env["JWT_SECRET"] = randomSecret(t)
	}
	clock := newClock()
	o := app.Options{
		Addr:           "127.0.0.1:0",
		PasswordParams: auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1},
		Now:            clock.Now,
	}
	for _, opt := range opts {
		opt(env, &o)
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	level := slog.LevelWarn
	if os.Getenv("AUTHORWORKS_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: level}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, log, o)
	if err != nil {
		cancel()
		t.Fatalf("app.New: %v", err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		a.Close()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			a.Close()
		})
	}
	t.Cleanup(stop)
	return &testApp{App: a, URL: "http://" + a.Addrs()[0], Clock: clock, env: env, stop: stop}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func randomSecret(t testing.TB) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// response is a decoded envelope plus the raw HTTP answer.
type response struct {
	Status int
	Header http.Header
	Data   json.RawMessage
	Error  *struct {
		Message string `json:"message"`
		Code    string `json:"code"`
		Field   string `json:"field"`
	}
	Raw []byte
}

// req describes one request.
type req struct {
	Method  string
	Path    string
	Token   string
	Body    any    // marshalled to JSON unless RawBody is set
	RawBody string // sent as is
	Header  map[string]string
}

// do sends r and decodes the envelope; it fails the test if the body is not one.
func (a *testApp) do(t testing.TB, r req) *response {
	t.Helper()
	var body io.Reader
	switch {
	case r.RawBody != "":
		body = strings.NewReader(r.RawBody)
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequest(r.Method, a.URL+r.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := &response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && r.Path != "/api/openapi.json" {
		var env struct {
			Data  json.RawMessage `json:"data"`
			Error json.RawMessage `json:"error"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&env); err != nil {
			t.Fatalf("%s %s: body is not the envelope: %v\n%s", r.Method, r.Path, err, raw)
		}
		out.Data = env.Data
		if len(env.Error) > 0 && string(env.Error) != "null" {
			if err := json.Unmarshal(env.Error, &out.Error); err != nil {
				t.Fatalf("%s %s: bad error object: %v", r.Method, r.Path, err)
			}
		}
	}
	return out
}

// expect fails the test unless the response has the given status and, for errors,
// the given envelope code.
func (r *response) expect(t testing.TB, status int, code string) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.Status, status, r.Raw)
	}
	if code == "" {
		if r.Error != nil {
			t.Fatalf("unexpected error in envelope: %+v", *r.Error)
		}
		return r
	}
	if r.Error == nil {
		t.Fatalf("no error in envelope, want code %s; body: %s", code, r.Raw)
	}
	if r.Error.Code != code {
		t.Fatalf("error code = %s, want %s (message %q)", r.Error.Code, code, r.Error.Message)
	}
	if r.Error.Message == "" {
		t.Fatalf("error %s has an empty message", code)
	}
	return r
}

// into decodes the envelope's data into v.
func (r *response) into(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v\n%s", err, r.Raw)
	}
}

// session is what the sign-in endpoints return.
type session struct {
	AccessToken      string    `json:"access_token"`
	TokenType        string    `json:"token_type"`
	ExpiresIn        int       `json:"expires_in"`
	ExpiresAt        time.Time `json:"expires_at"`
	RefreshToken     string    `json:"refresh_token"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	SessionID        string    `json:"session_id"`
	User             struct {
		ID          string `json:"id"`
		Email       string `json:"email"`
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		Role        string `json:"role"`
		Version     int    `json:"version"`
		MFAEnabled  bool   `json:"mfa_enabled"`
	} `json:"user"`
}

// register creates an account and returns its session.
func (a *testApp) register(t testing.TB, username string) session {
	t.Helper()
	var s session
	a.do(t, req{Method: "POST", Path: "/api/auth/register", Body: map[string]string{
		"email": username + "@example.com", "username": username, "password": "correct horse battery staple",
	}}).expect(t, http.StatusCreated, "").into(t, &s)
	return s
}
