package app_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/authorworks/authorworks/internal/testenv"
)

// tcpProxy forwards a loopback port to target until it is cut, so a test can take a
// real backend away from a running app.
type tcpProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(p.Cut)
	return p
}

func (p *tcpProxy) Addr() string { return p.ln.Addr().String() }

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }() //nolint:errcheck // ends when either side closes
		go func() { io.Copy(c, up); c.Close() }()  //nolint:errcheck // ends when either side closes
	}
}

// Cut closes the listener and every forwarded connection.
func (p *tcpProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}

// TestHealthReportsDependencies: 200 with each dependency while they answer, 503
// naming the one that went away.
func TestHealthReportsDependencies(t *testing.T) {
	ru, err := url.Parse(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, ru.Host)
	ru.Host = proxy.Addr()
	a := boot(t, production, withEnv("REDIS_URL", ru.String()))

	var h struct {
		Status string
		Checks map[string]struct {
			Status    string  `json:"status"`
			LatencyMS float64 `json:"latency_ms"`
		}
	}
	a.do(t, req{Method: "GET", Path: "/health"}).expect(t, http.StatusOK, "").into(t, &h)
	if h.Status != "ok" || h.Checks["database"].Status != "up" || h.Checks["redis"].Status != "up" {
		t.Fatalf("health = %+v", h)
	}
	proxy.Cut()
	r := a.do(t, req{Method: "GET", Path: "/health"})
	if r.Status != http.StatusServiceUnavailable || r.Error == nil || r.Error.Code != "UNAVAILABLE" || !strings.Contains(r.Error.Message, "redis") {
		t.Fatalf("health with Redis gone = %d %s", r.Status, r.Raw)
	}
	r.into(t, &h)
	if h.Checks["redis"].Status != "down" || h.Checks["database"].Status != "up" {
		t.Fatalf("checks = %+v", h.Checks)
	}
	// Sign-in needs the rate limiter: it fails closed with 503, not 500.
	a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"email": "x@example.com", "password": "whatever it is"}}).
		expect(t, http.StatusServiceUnavailable, "UNAVAILABLE")
}

func TestMetrics(t *testing.T) {
	a := boot(t, embedded)
	a.register(t, "counted")
	r := a.do(t, req{Method: "GET", Path: "/metrics"})
	body := string(r.Raw)
	for _, want := range []string{
		`authorworks_http_requests_total{method="POST",route="/api/auth/register",status="201"} 1`,
		`authorworks_http_request_duration_seconds_bucket{method="POST",route="/api/auth/register"`,
		`go_sql_open_connections{db_name="main"}`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	locked := boot(t, embedded, withEnv("METRICS_TOKEN", "scrape-secret"))
	locked.do(t, req{Method: "GET", Path: "/metrics"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	locked.do(t, req{Method: "GET", Path: "/metrics", Token: "nope"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	if r := locked.do(t, req{Method: "GET", Path: "/metrics", Token: "scrape-secret"}); r.Status != 200 || !strings.Contains(string(r.Raw), "go_goroutines") {
		t.Fatalf("metrics with the token = %d", r.Status)
	}
}

func TestRequestIDAndSecurityHeaders(t *testing.T) {
	a := boot(t, embedded)
	r := a.do(t, req{Method: "GET", Path: "/health", Header: map[string]string{"X-Request-ID": "trace-abc.123"}})
	if got := r.Header.Get("X-Request-ID"); got != "trace-abc.123" {
		t.Errorf("X-Request-ID = %q, want the client's", got)
	}
	r = a.do(t, req{Method: "GET", Path: "/health", Header: map[string]string{"X-Request-ID": "bad id\twith spaces"}})
	if got := r.Header.Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " \t") {
		t.Errorf("X-Request-ID = %q, want a fresh one", got)
	}
	for _, path := range []string{"/health", "/api/nope", "/"} {
		r := a.do(t, req{Method: "GET", Path: path})
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "X-Request-ID"} {
			if r.Header.Get(h) == "" {
				t.Errorf("GET %s: no %s header", path, h)
			}
		}
	}
	cors := boot(t, embedded, withEnv("ALLOWED_ORIGINS", "https://app.example.com"))
	r = cors.do(t, req{Method: "OPTIONS", Path: "/api/auth/login", Header: map[string]string{
		"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}})
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Fatalf("preflight = %d %v", r.Status, r.Header)
	}
}
