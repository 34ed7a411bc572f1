package webui_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/webui"
)

var _ webui.Router = (*httpapi.Router)(nil)

const indexHTML = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

// script is large and repetitive enough to be served gzipped.
var script = strings.Repeat("console.log('AuthorWorks');\n", 200)

func builtApp() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte(indexHTML)},
		"favicon.svg":             {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"assets/index-abc123.js":  {Data: []byte(script)},
		"assets/index-def456.css": {Data: []byte("body{margin:0}")},
	}
}

// server mounts the app beside a few API routes, as the app package does.
func server(t *testing.T, files fstest.MapFS) http.Handler {
	t.Helper()
	r := httpapi.NewRouter()
	r.HandleFunc("GET /health", text("healthy"))
	r.HandleFunc("GET /metrics", text("metrics"))
	r.HandleFunc("GET /api/stories", text("stories"))
	r.HandleFunc("POST /api/auth/login", text("login"))
	if files == nil {
		return webui.Mount(r, nil)
	}
	return webui.Mount(r, files)
}

// text is a route that answers s.
func text(s string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(s)) }
}

type answer struct {
	status int
	body   string
	header http.Header
}

func do(t *testing.T, h http.Handler, method, path string, header map[string]string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{status: rec.Code, body: rec.Body.String(), header: rec.Header()}
}

func TestServesTheApp(t *testing.T) {
	h := server(t, builtApp())
	tests := []struct {
		name, method, path string
		status             int
		body               string // exact body, or "" to skip
		contentType        string
		cache              string
	}{
		{"index at the root", "GET", "/", 200, indexHTML, "text/html; charset=utf-8", "no-cache"},
		{"index.html by name", "GET", "/index.html", 200, indexHTML, "text/html; charset=utf-8", "no-cache"},
		{"client route falls back to index", "GET", "/stories/5b0c8b4e", 200, indexHTML, "text/html; charset=utf-8", "no-cache"},
		{"nested client route", "GET", "/stories/new?from=dashboard", 200, indexHTML, "text/html; charset=utf-8", "no-cache"},
		{"HEAD of a client route", "HEAD", "/signin", 200, "", "text/html; charset=utf-8", "no-cache"},
		{"hashed script", "GET", "/assets/index-abc123.js", 200, script, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"hashed stylesheet", "GET", "/assets/index-def456.css", 200, "body{margin:0}", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"file at the root", "GET", "/favicon.svg", 200, `<svg xmlns="http://www.w3.org/2000/svg"/>`, "image/svg+xml", "no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, h, tt.method, tt.path, nil)
			if got.status != tt.status {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.path, got.status, tt.status)
			}
			if tt.body != "" && got.body != tt.body {
				t.Errorf("%s %s body = %.60q…, want %.60q…", tt.method, tt.path, got.body, tt.body)
			}
			if ct := got.header.Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			if cc := got.header.Get("Cache-Control"); cc != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", cc, tt.cache)
			}
			if got.header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

func TestLeavesServerPathsAlone(t *testing.T) {
	h := server(t, builtApp())
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"API route", "GET", "/api/stories", 200, "stories"},
		{"unknown API route", "GET", "/api/nope", 404, ""},
		{"the bare /api", "GET", "/api", 404, ""},
		{"API route with another method", "GET", "/api/auth/login", 405, ""},
		{"health", "GET", "/health", 200, "healthy"},
		{"below health", "GET", "/health/deep", 404, ""},
		{"metrics", "GET", "/metrics", 200, "metrics"},
		{"missing asset", "GET", "/assets/index-old999.js", 404, ""},
		{"POST to a client route", "POST", "/stories/new", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := do(t, h, tt.method, tt.path, nil)
			if got.status != tt.status {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.path, got.status, tt.status)
			}
			if strings.Contains(got.body, `id="root"`) {
				t.Errorf("%s %s was answered with index.html", tt.method, tt.path)
			}
			if tt.body != "" && got.body != tt.body {
				t.Errorf("%s %s body = %q, want %q", tt.method, tt.path, got.body, tt.body)
			}
		})
	}
}

func TestCompressesAndRevalidates(t *testing.T) {
	h := server(t, builtApp())
	plain := do(t, h, "GET", "/assets/index-abc123.js", nil)
	if plain.header.Get("Content-Encoding") != "" || plain.body != script {
		t.Fatalf("without Accept-Encoding: encoding %q, %d bytes", plain.header.Get("Content-Encoding"), len(plain.body))
	}
	zipped := do(t, h, "GET", "/assets/index-abc123.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if zipped.header.Get("Content-Encoding") != "gzip" || zipped.header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("with gzip accepted: Content-Encoding %q, Vary %q", zipped.header.Get("Content-Encoding"), zipped.header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(zipped.body)))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || string(unzipped) != script {
		t.Fatalf("gunzipped body differs from the file (err %v)", err)
	}
	if zipped.header.Get("ETag") == plain.header.Get("ETag") {
		t.Error("the gzipped and plain bodies share an ETag")
	}
	refused := do(t, h, "GET", "/assets/index-abc123.js", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if refused.header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}

	again := do(t, h, "GET", "/stories/1", map[string]string{"If-None-Match": do(t, h, "GET", "/", nil).header.Get("ETag")})
	if again.status != http.StatusNotModified {
		t.Errorf("index with its ETag in If-None-Match = %d, want 304", again.status)
	}
}

func TestWithoutTheAppServesThePlaceholder(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{"no files": nil, "no index.html": {"assets/x.js": {Data: []byte("x")}}} {
		t.Run(name, func(t *testing.T) {
			h := server(t, files)
			root := do(t, h, "GET", "/", nil)
			if root.status != 200 || !strings.Contains(root.body, "The web app is not built into this binary") {
				t.Errorf("GET / = %d %.80q, want the placeholder", root.status, root.body)
			}
			if got := do(t, h, "GET", "/stories/1", nil); got.status != 404 {
				t.Errorf("GET /stories/1 = %d, want 404 (no client routes without the app)", got.status)
			}
			if got := do(t, h, "GET", "/api/stories", nil); got.body != "stories" {
				t.Errorf("GET /api/stories = %q, want the API's answer", got.body)
			}
		})
	}
}
