// Package apidoc embeds the OpenAPI 3.1 document of the AuthorWorks HTTP API and
// serves it at /api/openapi.json.
package apidoc

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var document []byte

// Document returns the OpenAPI document.
func Document() []byte { return document }

// Handler serves the document.
func Handler() http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(document) //nolint:errcheck // the client went away
	}
}
