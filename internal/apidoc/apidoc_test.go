package apidoc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/apidoc"
)

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// load parses the embedded document.
func load(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(apidoc.Document()))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("openapi.json holds data after its object")
	}
	return doc
}

// obj returns v[key] as an object, or nil.
func obj(v any, key string) map[string]any {
	m, _ := v.(map[string]any)
	out, _ := m[key].(map[string]any)
	return out
}

// pointer resolves a local reference such as "#/components/schemas/Error".
func pointer(doc map[string]any, ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref follows v's $ref chain.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, _ := v.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		if v, ok = pointer(doc, ref); !ok {
			t.Fatalf("unresolved $ref %s", ref)
		}
	}
	t.Fatalf("$ref chain too long")
	return nil
}

// walk calls f for every object in v, with its location.
func walk(v any, at string, f func(at string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(at, x)
		for k, child := range x {
			walk(child, at+"/"+k, f)
		}
	case []any:
		for i, child := range x {
			walk(child, at+"/"+strconv.Itoa(i), f)
		}
	}
}

// operation is one method of one path.
type operation struct {
	method, path string
	op           map[string]any
}

func operations(doc map[string]any) []operation {
	var out []operation
	for path, item := range obj(doc, "paths") {
		for _, m := range methods {
			if op := obj(item, m); op != nil {
				out = append(out, operation{m, path, op})
			}
		}
	}
	slices.SortFunc(out, func(a, b operation) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	return out
}

func TestDocumentIsOpenAPI31(t *testing.T) {
	doc := load(t)
	if got := doc["openapi"]; got != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", got)
	}
	info := obj(doc, "info")
	if info["title"] != "AuthorWorks API" {
		t.Errorf("info.title = %v, want AuthorWorks API", info["title"])
	}
	for _, k := range []string{"version", "description"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is empty", k)
		}
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || obj(map[string]any{"server": servers[0]}, "server")["url"] != "/" {
		t.Errorf("servers = %v, want [{url: /}]", doc["servers"])
	}
	bearer := obj(obj(obj(doc, "components"), "securitySchemes"), "bearerAuth")
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" || bearer["bearerFormat"] != "JWT" {
		t.Errorf("securitySchemes.bearerAuth = %v, want http bearer JWT", bearer)
	}
	if len(obj(doc, "paths")) == 0 {
		t.Error("the document has no paths")
	}
}

// TestDocumentFormatting keeps the file in one canonical layout (2-space indent,
// keys in the order written) so that diffs stay readable.
func TestDocumentFormatting(t *testing.T) {
	var compact, indented bytes.Buffer
	if err := json.Compact(&compact, apidoc.Document()); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	indented.WriteByte('\n')
	if !bytes.Equal(indented.Bytes(), apidoc.Document()) {
		got, want := strings.Split(string(apidoc.Document()), "\n"), strings.Split(indented.String(), "\n")
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("openapi.json is not 2-space indented JSON ending in a newline; line %d:\n got %q\nwant %q", i+1, got[i], want[i])
			}
		}
		t.Fatalf("openapi.json is not 2-space indented JSON ending in a newline (%d lines, want %d)", len(got), len(want))
	}
}

func TestDocumentRefsResolve(t *testing.T) {
	doc := load(t)
	used := map[string]bool{}
	n := 0
	walk(doc, "#", func(at string, m map[string]any) {
		ref, ok := m["$ref"].(string)
		if !ok {
			return
		}
		n++
		if _, ok := pointer(doc, ref); !ok || !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("%s: $ref %q does not resolve to a component", at, ref)
			return
		}
		used[ref] = true
	})
	if n == 0 {
		t.Fatal("the document has no $ref at all")
	}
	// Every component is used, so none is left behind when the API changes.
	for _, kind := range []string{"schemas", "responses", "parameters", "headers"} {
		for name := range obj(obj(doc, "components"), kind) {
			if ref := "#/components/" + kind + "/" + name; !used[ref] {
				t.Errorf("component %s is never referenced", ref)
			}
		}
	}
}

var (
	statusRE = regexp.MustCompile(`^[1-5][0-9][0-9]$`)
	paramRE  = regexp.MustCompile(`\{([^}/]+)\}`)
)

func TestDocumentOperations(t *testing.T) {
	doc := load(t)
	tags := map[string]bool{}
	declaredTags, _ := doc["tags"].([]any)
	for _, tag := range declaredTags {
		if name, _ := obj(map[string]any{"tag": tag}, "tag")["name"].(string); name != "" {
			tags[name] = true
		}
	}
	schemes := obj(obj(doc, "components"), "securitySchemes")
	ops := operations(doc)
	if len(ops) == 0 {
		t.Fatal("no operations")
	}
	ids := map[string]string{}
	for _, o := range ops {
		name := strings.ToUpper(o.method) + " " + o.path
		t.Run(name, func(t *testing.T) {
			id, _ := o.op["operationId"].(string)
			if id == "" {
				t.Error("no operationId")
			} else if prev, dup := ids[id]; dup {
				t.Errorf("operationId %q is also used by %s", id, prev)
			}
			ids[id] = name
			if s, _ := o.op["summary"].(string); s == "" {
				t.Error("no summary")
			}
			opTags, _ := o.op["tags"].([]any)
			if len(opTags) != 1 || !tags[fmt.Sprint(opTags[0])] {
				t.Errorf("tags = %v, want one of the declared tags", opTags)
			}
			sec, ok := o.op["security"].([]any)
			if !ok {
				t.Error("security is not stated explicitly ([] for public operations)")
			}
			needsAuth := false
			for _, req := range sec {
				req, _ := req.(map[string]any)
				for scheme := range req {
					if schemes[scheme] == nil {
						t.Errorf("security names undeclared scheme %q", scheme)
					}
					needsAuth = needsAuth || scheme == "bearerAuth"
				}
			}

			var declared []string
			params, _ := o.op["parameters"].([]any)
			for _, p := range params {
				p := deref(t, doc, p)
				if p["in"] == "path" {
					declared = append(declared, fmt.Sprint(p["name"]))
					if p["required"] != true {
						t.Errorf("path parameter %v is not required", p["name"])
					}
				}
			}
			var inPath []string
			for _, m := range paramRE.FindAllStringSubmatch(o.path, -1) {
				inPath = append(inPath, m[1])
			}
			slices.Sort(declared)
			slices.Sort(inPath)
			if !slices.Equal(declared, inPath) {
				t.Errorf("path parameters declared %v, in the path %v", declared, inPath)
			}

			responses := obj(o.op, "responses")
			if len(responses) == 0 {
				t.Fatal("no responses")
			}
			success := false
			for status, r := range responses {
				if !statusRE.MatchString(status) {
					t.Errorf("response %q is not an HTTP status", status)
					continue
				}
				code, _ := strconv.Atoi(status)
				success = success || code < 300
				checkResponse(t, doc, status, r)
			}
			if !success {
				t.Error("no success response")
			}
			if needsAuth && responses["401"] == nil {
				t.Error("needs bearerAuth but declares no 401")
			}
			if obj(o.op, "requestBody") != nil {
				for _, s := range []string{"413", "415", "400"} {
					if responses[s] == nil {
						t.Errorf("takes a JSON body but declares no %s", s)
					}
				}
			}
		})
	}
}

// checkResponse checks one declared response: a description, the X-Request-ID
// header, a content schema, and the error envelope for errors.
func checkResponse(t *testing.T, doc map[string]any, status string, r any) {
	t.Helper()
	resp := deref(t, doc, r)
	if d, _ := resp["description"].(string); d == "" {
		t.Errorf("%s: no description", status)
	}
	if obj(resp, "headers")["X-Request-ID"] == nil {
		t.Errorf("%s: does not declare the X-Request-ID header", status)
	}
	content := obj(resp, "content")
	if len(content) == 0 {
		t.Errorf("%s: no content", status)
	}
	for mt, media := range content {
		if obj(media, "schema") == nil {
			t.Errorf("%s %s: no schema", status, mt)
		}
	}
	if status >= "400" {
		env := deref(t, doc, obj(content["application/json"], "schema"))
		e := deref(t, doc, obj(env, "properties")["error"])
		if _, ok := obj(e, "properties")["code"]; !ok {
			t.Errorf("%s: the body is not the error envelope", status)
		}
	}
}

func TestHandlerServesDocument(t *testing.T) {
	w := httptest.NewRecorder()
	apidoc.Handler()(w, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !bytes.Equal(w.Body.Bytes(), apidoc.Document()) {
		t.Error("the body is not the document")
	}
}
