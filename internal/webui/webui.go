// Package webui serves the writer's web app (the TypeScript app in web/) from the
// Go binary: index.html at / and for every client-side route, and the hashed files
// under /assets/ with long cache lifetimes. Binaries built without the webui tag
// carry no app and serve a placeholder page at / instead.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Cache-Control values: hashed assets never change under their name; everything
// else is revalidated on each use (cheap: the ETag answers 304).
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// Router is the API router the app is mounted beside (an *httpapi.Router).
type Router interface {
	http.Handler
	Handle(pattern string, handler http.Handler)
	// Handler reports the pattern that would serve r; "" when none would.
	Handler(r *http.Request) (h http.Handler, pattern string)
}

// Mount serves the web app beside the routes of r and returns the handler to serve.
//
// With files (the built app: index.html and assets/), GET / and every GET or HEAD
// request that no route of r matches get the app, except under /api/, /health and
// /metrics, whose unknown paths keep their JSON 404 and 405 answers. Without files
// (a build without the webui tag), GET / gets the placeholder page and nothing else
// changes.
func Mount(r Router, files fs.FS) http.Handler {
	app, err := New(files)
	if err != nil {
		r.Handle("GET /{$}", http.HandlerFunc(Placeholder))
		return r
	}
	r.Handle("GET /{$}", app)
	return &fallback{router: r, app: app}
}

type fallback struct {
	router Router
	app    http.Handler
}

func (f *fallback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !reserved(r.URL.Path) {
		if _, pattern := f.router.Handler(r); pattern == "" {
			f.app.ServeHTTP(w, r)
			return
		}
	}
	f.router.ServeHTTP(w, r)
}

// reserved reports whether p belongs to the server rather than to the app.
func reserved(p string) bool {
	for _, prefix := range []string{"/api", "/health", "/metrics"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// file is one file of the app, read once at start.
type file struct {
	body []byte
	gz   []byte // body gzipped, when that is worth it
	etag string
}

// App serves a built single-page app from memory.
type App struct {
	files map[string]*file // by path without the leading slash
	index *file
}

// New reads every file of the built app in files. It fails when files is nil or
// has no index.html.
func New(files fs.FS) (*App, error) {
	if files == nil {
		return nil, fmt.Errorf("webui: the web app is not built into this binary")
	}
	a := &App{files: map[string]*file{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		a.files[name] = newFile(name, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("webui: read the built app: %w", err)
	}
	if a.index = a.files["index.html"]; a.index == nil {
		return nil, fmt.Errorf("webui: the built app has no index.html")
	}
	return a, nil
}

var compressible = map[string]bool{".html": true, ".js": true, ".mjs": true, ".css": true, ".svg": true, ".json": true, ".txt": true, ".map": true}

func newFile(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	f := &file{body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	if compressible[path.Ext(name)] && len(body) > 1024 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
		zw.Write(body)                                           //nolint:errcheck // writes to memory
		zw.Close()                                               //nolint:errcheck // writes to memory
		if buf.Len() < len(body)*9/10 {
			f.gz = buf.Bytes()
		}
	}
	return f
}

// ServeHTTP serves index.html for / and client-side routes, the file itself for
// anything the build produced, and 404 for a missing asset: a browser asking for
// an old script must not be handed HTML.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if strings.HasPrefix(name, "assets/") {
		f := a.files[name]
		if f == nil {
			http.NotFound(w, r)
			return
		}
		serve(w, r, name, f, cacheImmutable)
		return
	}
	if f := a.files[name]; f != nil {
		serve(w, r, name, f, cacheRevalidate)
		return
	}
	serve(w, r, "index.html", a.index, cacheRevalidate)
}

func serve(w http.ResponseWriter, r *http.Request, name string, f *file, cache string) {
	h := w.Header()
	h.Set("Cache-Control", cache)
	body, etag := f.body, f.etag
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
