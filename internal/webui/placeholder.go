package webui

import "net/http"

const placeholderHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AuthorWorks</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>AuthorWorks</h1>
<p>The AuthorWorks server is running. The web app is not built into this binary: build it with <code>make run</code>
(or <code>npm run build --prefix web</code> and <code>go build -tags webui ./cmd/authorworks</code>).</p>
<p>The API is up: see its reference at <a href="/api/openapi.json"><code>/api/openapi.json</code></a>
and the service status at <a href="/health"><code>/health</code></a>.</p>
</body></html>
`

// Placeholder is the page at / of a binary built without the web app.
func Placeholder(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(placeholderHTML)) //nolint:errcheck // the client went away
}
