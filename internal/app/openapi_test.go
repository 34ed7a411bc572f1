package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/apidoc"
)

// The tests in this file prove that the OpenAPI document served at
// /api/openapi.json describes the routes the app registers and the bodies it sends.

// apiDoc is the parsed OpenAPI document.
type apiDoc struct{ root map[string]any }

func loadDoc(t *testing.T) *apiDoc {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(apidoc.Document(), &root); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &apiDoc{root: root}
}

// get returns v[key] as an object, or nil.
func get(v any, key string) map[string]any {
	m, _ := v.(map[string]any)
	out, _ := m[key].(map[string]any)
	return out
}

// resolve follows v's $ref chain and returns the object it ends at, with the name
// of the last component it went through ("" when v is no reference).
func (d *apiDoc) resolve(v any) (map[string]any, string, error) {
	name := ""
	for range 10 {
		m, _ := v.(map[string]any)
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, name, nil
		}
		var cur any = d.root
		for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[tok]
		}
		if cur == nil {
			return nil, "", fmt.Errorf("unresolved $ref %s", ref)
		}
		v, name = cur, ref[strings.LastIndex(ref, "/")+1:]
	}
	return nil, "", fmt.Errorf("$ref chain too long")
}

// operations returns every documented operation as "METHOD /path".
func (d *apiDoc) operations() []string {
	var out []string
	for path, item := range get(d.root, "paths") {
		for method := range item.(map[string]any) {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				out = append(out, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// operation returns the operation of method and path, failing the test if there is none.
func (d *apiDoc) operation(t *testing.T, method, path string) map[string]any {
	t.Helper()
	op := get(get(get(d.root, "paths"), path), strings.ToLower(method))
	if op == nil {
		t.Fatalf("the document has no operation %s %s", method, path)
	}
	return op
}

// routeOperation maps a ServeMux pattern to the OpenAPI operation it serves:
// "GET /api/users/{id}" → "GET /api/users/{id}", "GET /{$}" → "GET /",
// "GET /files/{path...}" → "GET /files/{path}".
func routeOperation(pattern string) (string, error) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || strings.HasPrefix(pattern, "/") {
		return "", fmt.Errorf("pattern %q has no method; register one route per method so it can be documented", pattern)
	}
	if !strings.HasPrefix(path, "/") {
		return "", fmt.Errorf("pattern %q names a host; the document has no host-specific paths", pattern)
	}
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "...}", "}")
	return strings.ToUpper(method) + " " + path, nil
}

func TestOpenAPIRoutesMatchDocument(t *testing.T) {
	a := boot(t, embedded)
	doc := loadDoc(t)

	routes := map[string]bool{}
	for _, pattern := range a.Routes() {
		op, err := routeOperation(pattern)
		if err != nil {
			t.Error(err)
			continue
		}
		routes[op] = true
	}
	documented := map[string]bool{}
	for _, op := range doc.operations() {
		documented[op] = true
	}
	var missing, stale []string
	for op := range routes {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !routes[op] {
			stale = append(stale, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from internal/apidoc/openapi.json:\n\t%s", strings.Join(missing, "\n\t"))
	}
	if len(stale) > 0 {
		t.Errorf("documented operations that no route serves:\n\t%s", strings.Join(stale, "\n\t"))
	}
	if len(routes) == 0 {
		t.Fatal("the app registered no routes")
	}
}

func TestOpenAPIDocumentServed(t *testing.T) {
	a := boot(t, embedded)
	resp, err := http.Get(a.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}
	if !bytes.Equal(body, apidoc.Document()) {
		t.Errorf("GET /api/openapi.json served %d bytes that differ from apidoc.Document() (%d bytes)", len(body), len(apidoc.Document()))
	}
}

// TestOpenAPISecurityMatchesRoutes calls every documented operation without
// credentials: those that need bearerAuth must answer 401, the others must not.
// An operation allows anonymous callers when its security is empty or lists the
// empty requirement {}; one that lists both {} and bearerAuth serves anonymous
// callers but must still reject a bad token with 401.
func TestOpenAPISecurityMatchesRoutes(t *testing.T) {
	a := boot(t, embedded)
	doc := loadDoc(t)
	for _, name := range doc.operations() {
		t.Run(name, func(t *testing.T) {
			method, path, _ := strings.Cut(name, " ")
			op := doc.operation(t, method, path)
			sec, _ := op["security"].([]any)
			anonymous, bearer := len(sec) == 0, false
			for _, req := range sec {
				m, _ := req.(map[string]any)
				if len(m) == 0 {
					anonymous = true
				}
				if m["bearerAuth"] != nil {
					bearer = true
				}
			}
			needsAuth := bearer && !anonymous
			target := strings.ReplaceAll(path, "{id}", uuid.NewString())
			r := a.do(t, req{Method: method, Path: target})
			doc.check(t, method, path, r)
			switch {
			case needsAuth && (r.Status != http.StatusUnauthorized || r.Error == nil || r.Error.Code != "UNAUTHORIZED"):
				t.Errorf("declares bearerAuth, but without credentials answered %d: %s", r.Status, r.Raw)
			case !needsAuth && r.Status == http.StatusUnauthorized:
				t.Errorf("allows anonymous callers, but without credentials answered 401: %s", r.Raw)
			}
			if anonymous && bearer {
				r := a.do(t, req{Method: method, Path: target, Token: "not-a-token"})
				doc.check(t, method, path, r)
				if r.Status != http.StatusUnauthorized || r.Error == nil || r.Error.Code != "UNAUTHORIZED" {
					t.Errorf("accepts bearerAuth, but with a bad token answered %d: %s", r.Status, r.Raw)
				}
			}
		})
	}
}

// TestOpenAPIResponsesConform checks real answers of the running app against the
// schemas the document declares for them.
func TestOpenAPIResponsesConform(t *testing.T) {
	a := boot(t, embedded)
	doc := loadDoc(t)
	const pw = "correct horse battery staple"

	r := a.do(t, req{Method: "POST", Path: "/api/auth/register", Body: map[string]string{
		"email": "grace@example.com", "username": "grace", "password": pw, "display_name": "Grace"}})
	doc.check(t, "POST", "/api/auth/register", r, "Tokens")
	var grace session
	r.expect(t, http.StatusCreated, "").into(t, &grace)
	bob := a.register(t, "bob")

	r = a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "grace", "password": pw}})
	doc.check(t, "POST", "/api/auth/login", r, "Tokens")
	r.expect(t, http.StatusOK, "")

	r = a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: grace.AccessToken})
	doc.check(t, "GET", "/api/auth/profile", r, "UserPrivateView")
	r.expect(t, http.StatusOK, "")

	r = a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: grace.AccessToken, Body: map[string]any{
		"version": 1, "display_name": "Grace H.",
		"profile": map[string]string{"bio": "Writes compilers.", "website": "https://example.com", "pronouns": "she/her"}}})
	doc.check(t, "PUT", "/api/users/profile", r, "UserPrivateView")
	r.expect(t, http.StatusOK, "")

	r = a.do(t, req{Method: "GET", Path: "/api/users/" + grace.User.ID, Token: bob.AccessToken})
	doc.check(t, "GET", "/api/users/{id}", r, "UserPublicView")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "GET", Path: "/api/users/" + grace.User.ID, Token: grace.AccessToken})
	doc.check(t, "GET", "/api/users/{id}", r, "UserPrivateView")
	r.expect(t, http.StatusOK, "")

	for _, path := range []string{"/api/auth/sessions", "/api/auth/events"} {
		r = a.do(t, req{Method: "GET", Path: path, Token: grace.AccessToken})
		doc.check(t, "GET", path, r)
		r.expect(t, http.StatusOK, "")
	}
	r = a.do(t, req{Method: "POST", Path: "/api/auth/mfa/enroll", Token: grace.AccessToken})
	doc.check(t, "POST", "/api/auth/mfa/enroll", r, "MFAEnrollment")
	r.expect(t, http.StatusOK, "")

	r = a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": bob.RefreshToken}})
	doc.check(t, "POST", "/api/auth/refresh", r, "Tokens")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": bob.RefreshToken}})
	doc.check(t, "POST", "/api/auth/refresh", r)
	r.expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")

	r = a.do(t, req{Method: "POST", Path: "/api/auth/password", Token: grace.AccessToken, Body: map[string]string{
		"current_password": pw, "new_password": pw + "!"}})
	doc.check(t, "POST", "/api/auth/password", r, "PasswordChanged")
	r.expect(t, http.StatusOK, "")

	root := a.makeAdmin(t, "root")
	r = a.do(t, req{Method: "GET", Path: "/api/admin/users?limit=1", Token: root.AccessToken})
	doc.check(t, "GET", "/api/admin/users", r, "UserPage")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + bob.User.ID, Token: root.AccessToken, Body: map[string]any{"role": "admin"}})
	doc.check(t, "PATCH", "/api/admin/users/{id}", r, "UserPrivateView")
	r.expect(t, http.StatusOK, "")

	r = a.do(t, req{Method: "GET", Path: "/health"})
	doc.check(t, "GET", "/health", r, "Health")
	r.expect(t, http.StatusOK, "")

	ids := conformContent(t, a, doc)

	failures := []struct {
		method, path string
		r            req
		status       int
		code         string
	}{
		{"GET", "/api/auth/profile", req{}, 401, "UNAUTHORIZED"},
		{"POST", "/api/auth/login", req{Body: map[string]string{"email": "grace@example.com", "password": "wrong password"}}, 401, "UNAUTHORIZED"},
		{"POST", "/api/auth/register", req{Body: map[string]any{"email": "x@example.com", "nickname": "x"}}, 400, "VALIDATION_FAILED"},
		{"POST", "/api/auth/register", req{RawBody: "email=x", Header: map[string]string{"Content-Type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"GET", "/api/users/{id}", req{Path: "/api/users/not-a-uuid", Token: grace.AccessToken}, 400, "VALIDATION_FAILED"},
		{"GET", "/api/users/{id}", req{Path: "/api/users/" + uuid.NewString(), Token: grace.AccessToken}, 404, "NOT_FOUND"},
		{"PUT", "/api/users/profile", req{Token: grace.AccessToken, Body: map[string]any{"version": 1}}, 409, "VERSION_CONFLICT"},
		{"PUT", "/api/users/profile", req{Token: grace.AccessToken, Body: map[string]any{}, Header: map[string]string{"If-Match": `"1"`}}, 412, "PRECONDITION_FAILED"},
		{"GET", "/api/auth/events", req{Path: "/api/auth/events?limit=0", Token: grace.AccessToken}, 400, "VALIDATION_FAILED"},
		{"GET", "/api/stories/{id}", req{Path: "/api/stories/" + ids.privateStory, Token: grace.AccessToken}, 404, "NOT_FOUND"},
		{"GET", "/api/stories/{id}", req{Path: "/api/stories/" + ids.privateStory}, 404, "NOT_FOUND"},
		{"GET", "/api/stories/{id}", req{Path: "/api/stories/" + ids.story, Token: "garbage"}, 401, "UNAUTHORIZED"},
		{"GET", "/api/stories", req{Path: "/api/stories?sort=size", Token: ids.author}, 400, "VALIDATION_FAILED"},
		{"PUT", "/api/stories/{id}", req{Path: "/api/stories/" + ids.story, Body: map[string]any{"version": 1}}, 401, "UNAUTHORIZED"},
		{"PUT", "/api/stories/{id}", req{Path: "/api/stories/" + ids.story, Token: ids.author, Body: map[string]any{"title": "x"}}, 400, "VALIDATION_FAILED"},
		{"DELETE", "/api/stories/{id}", req{Path: "/api/stories/" + ids.story + "?confirm=Wrong", Token: ids.author}, 400, "VALIDATION_FAILED"},
		{"POST", "/api/stories/{id}/chapters", req{Path: "/api/stories/" + ids.story + "/chapters", Token: ids.author,
			RawBody: "title=x", Header: map[string]string{"Content-Type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"GET", "/api/chapters/{id}", req{Path: "/api/chapters/" + ids.chapter + "?format=html"}, 400, "VALIDATION_FAILED"},
		{"PUT", "/api/chapters/{id}", req{Path: "/api/chapters/" + ids.chapter, Token: ids.viewer, Body: map[string]any{"version": 1}}, 403, "FORBIDDEN"},
		{"PUT", "/api/chapters/{id}", req{Path: "/api/chapters/" + ids.chapter, Token: ids.author,
			RawBody: `{"version":1,"content":[{"type":"script","children":[{"text":"x"}]}]}`}, 400, "VALIDATION_FAILED"},
		{"GET", "/api/chapters/{id}/versions", req{Path: "/api/chapters/" + ids.chapter + "/versions", Token: grace.AccessToken}, 404, "NOT_FOUND"},
		{"GET", "/api/stories/{id}/characters", req{Path: "/api/stories/" + ids.story + "/characters", Token: grace.AccessToken}, 404, "NOT_FOUND"},
		{"POST", "/api/stories/{id}/collaborators", req{Path: "/api/stories/" + ids.story + "/collaborators", Token: ids.author,
			Body: map[string]string{"user": "nobody-at-all", "role": "editor"}}, 404, "NOT_FOUND"},
	}
	for _, e := range failures {
		t.Run(fmt.Sprintf("%s %s %d", e.method, e.path, e.status), func(t *testing.T) {
			rq := e.r
			rq.Method = e.method
			if rq.Path == "" {
				rq.Path = e.path
			}
			r := a.do(t, rq)
			doc.check(t, e.method, e.path, r)
			r.expect(t, e.status, e.code)
		})
	}

	r = a.do(t, req{Method: "POST", Path: "/api/auth/logout", Token: grace.AccessToken, Body: map[string]bool{"all": true}})
	doc.check(t, "POST", "/api/auth/logout", r, "LogoutResult")
	r.expect(t, http.StatusOK, "")
}

// contentIDs names what conformContent created, for the failure cases.
type contentIDs struct {
	author, viewer               string // access tokens
	story, privateStory, chapter string
}

// conformContent checks the answers of the Content service (stories, collaborators,
// chapters, versions, scenes and the story bible) against the document.
func conformContent(t *testing.T, a *testApp, doc *apiDoc) contentIDs {
	author := a.register(t, "author").AccessToken
	a.register(t, "coauthor")
	viewer := a.register(t, "onlooker").AccessToken
	var rec struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	ids := contentIDs{author: author, viewer: viewer}

	// Stories.
	r := a.do(t, req{Method: "POST", Path: "/api/stories", Token: author, Body: map[string]any{
		"title": "The Salt Road", "genre": "Fantasy", "visibility": "public", "metadata": map[string]any{"series": "North"}}})
	doc.check(t, "POST", "/api/stories", r, "StoryView")
	r.expect(t, http.StatusCreated, "").into(t, &rec)
	ids.story = rec.ID
	story := "/api/stories/" + rec.ID
	r = a.do(t, req{Method: "POST", Path: "/api/stories", Token: author, Body: map[string]any{"title": "Notebook"}})
	doc.check(t, "POST", "/api/stories", r, "StoryView")
	r.expect(t, http.StatusCreated, "").into(t, &rec)
	ids.privateStory = rec.ID

	r = a.do(t, req{Method: "GET", Path: story, Token: author})
	doc.check(t, "GET", "/api/stories/{id}", r, "StoryView")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "GET", Path: "/api/stories?sort=title&limit=1", Token: author})
	doc.check(t, "GET", "/api/stories", r, "StoryPage")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "PUT", Path: story, Token: author, Body: map[string]any{
		"version": 1, "synopsis": "A smuggler crosses the salt flats.", "cover_file_id": nil}})
	doc.check(t, "PUT", "/api/stories/{id}", r, "StoryView")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "PUT", Path: story, Token: author, Body: map[string]any{"version": 1, "title": "Stale"}})
	doc.check(t, "PUT", "/api/stories/{id}", r)
	r.expect(t, http.StatusConflict, "VERSION_CONFLICT")
	r = a.do(t, req{Method: "PUT", Path: story, Token: author, Header: map[string]string{"If-Match": `"1"`}, Body: map[string]any{"title": "Stale"}})
	doc.check(t, "PUT", "/api/stories/{id}", r)
	r.expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
	r = a.do(t, req{Method: "POST", Path: story + "/publish", Token: author})
	doc.check(t, "POST", "/api/stories/{id}/publish", r, "StoryView")
	r.expect(t, http.StatusOK, "")
	for _, token := range []string{"", viewer} { // anonymous, and a signed-in stranger
		r = a.do(t, req{Method: "GET", Path: story, Token: token})
		doc.check(t, "GET", "/api/stories/{id}", r, "PublicStoryView")
		r.expect(t, http.StatusOK, "")
	}

	// Collaborators.
	r = a.do(t, req{Method: "POST", Path: story + "/collaborators", Token: author, Body: map[string]string{"user": "coauthor", "role": "editor"}})
	doc.check(t, "POST", "/api/stories/{id}/collaborators", r, "Collaborator")
	r.expect(t, http.StatusCreated, "")
	r = a.do(t, req{Method: "POST", Path: story + "/collaborators", Token: author, Body: map[string]string{"user": "onlooker@example.com", "role": "viewer"}})
	doc.check(t, "POST", "/api/stories/{id}/collaborators", r, "Collaborator")
	r.expect(t, http.StatusCreated, "")
	r = a.do(t, req{Method: "POST", Path: story + "/collaborators", Token: author, Body: map[string]string{"user": "coauthor", "role": "viewer"}})
	doc.check(t, "POST", "/api/stories/{id}/collaborators", r)
	r.expect(t, http.StatusConflict, "CONFLICT")
	r = a.do(t, req{Method: "GET", Path: story + "/collaborators", Token: viewer})
	doc.check(t, "GET", "/api/stories/{id}/collaborators", r, "Collaborator")
	r.expect(t, http.StatusOK, "")

	// Chapters, in every format, and their versions.
	r = a.do(t, req{Method: "POST", Path: story + "/chapters", Token: author, Body: map[string]any{
		"title": "Salt", "status": "completed", "markdown": "It was *cold*.\n\nThe road was [salt](https://example.com/salt)."}})
	doc.check(t, "POST", "/api/stories/{id}/chapters", r, "ChapterWithContent")
	r.expect(t, http.StatusCreated, "").into(t, &rec)
	ids.chapter = rec.ID
	chapter := "/api/chapters/" + rec.ID
	for format, view := range map[string]string{"": "ChapterWithContent", "?format=json": "ChapterWithContent",
		"?format=markdown": "ChapterWithMarkdown", "?format=fountain": "ChapterWithFountain", "?format=text": "ChapterWithText"} {
		r = a.do(t, req{Method: "GET", Path: chapter + format, Token: author})
		doc.check(t, "GET", "/api/chapters/{id}", r, view)
		r.expect(t, http.StatusOK, "")
	}
	r = a.do(t, req{Method: "GET", Path: chapter + "?format=markdown"}) // a reader of the published story
	doc.check(t, "GET", "/api/chapters/{id}", r, "ChapterWithMarkdown")
	r.expect(t, http.StatusOK, "")
	for _, token := range []string{author, ""} {
		r = a.do(t, req{Method: "GET", Path: story + "/chapters", Token: token})
		doc.check(t, "GET", "/api/stories/{id}/chapters", r, "ChapterSummary")
		r.expect(t, http.StatusOK, "")
	}
	r = a.do(t, req{Method: "PUT", Path: chapter, Token: author, Body: map[string]any{
		"version": 1, "change_summary": "Second draft",
		"content": []any{
			map[string]any{"type": "h2", "align": "center", "children": []any{map[string]any{"text": "Salt"}}},
			map[string]any{"type": "p", "children": []any{map[string]any{"text": "It was "}, map[string]any{"text": "bitterly", "italic": true},
				map[string]any{"text": " cold."}}},
			map[string]any{"type": "scene_break", "children": []any{map[string]any{"text": ""}}},
		}}})
	doc.check(t, "PUT", "/api/chapters/{id}", r, "ChapterWithContent")
	r.expect(t, http.StatusOK, "").into(t, &rec)
	r = a.do(t, req{Method: "PUT", Path: chapter, Token: author, Body: map[string]any{"version": 1, "markdown": "Lost words."}})
	doc.check(t, "PUT", "/api/chapters/{id}", r)
	r.expect(t, http.StatusConflict, "VERSION_CONFLICT")
	var current struct {
		Version int             `json:"version"`
		Content json.RawMessage `json:"content"`
	}
	r.into(t, &current)
	if current.Version != rec.Version || len(current.Content) < 3 {
		t.Errorf("VERSION_CONFLICT data = %s, want the current chapter with its document", r.Data)
	}
	r = a.do(t, req{Method: "PUT", Path: chapter, Token: author, Header: map[string]string{"If-Match": `"1"`}, Body: map[string]any{"markdown": "Lost words."}})
	doc.check(t, "PUT", "/api/chapters/{id}", r)
	r.expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
	r = a.do(t, req{Method: "GET", Path: chapter + "/versions", Token: viewer})
	doc.check(t, "GET", "/api/chapters/{id}/versions", r, "VersionSummary")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "GET", Path: chapter + "/versions/1", Token: viewer})
	doc.check(t, "GET", "/api/chapters/{id}/versions/{n}", r, "VersionWithContent")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "GET", Path: chapter + "/diff?from=1&to=2", Token: viewer})
	doc.check(t, "GET", "/api/chapters/{id}/diff", r, "Diff")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "POST", Path: chapter + "/versions/1/restore", Token: author, Body: map[string]int{"version": rec.Version - 1}})
	doc.check(t, "POST", "/api/chapters/{id}/versions/{n}/restore", r)
	r.expect(t, http.StatusConflict, "VERSION_CONFLICT")
	r = a.do(t, req{Method: "POST", Path: chapter + "/versions/1/restore", Token: author, Body: map[string]int{"version": rec.Version}})
	doc.check(t, "POST", "/api/chapters/{id}/versions/{n}/restore", r, "ChapterWithContent")
	r.expect(t, http.StatusOK, "")

	// The story bible.
	r = a.do(t, req{Method: "POST", Path: "/api/characters", Token: author, Body: map[string]any{
		"story_id": ids.story, "name": "Mara Voss", "role": "protagonist", "aliases": []string{"the Captain"}, "traits": map[string]any{"eyes": "grey"}}})
	doc.check(t, "POST", "/api/characters", r, "Character")
	var mara struct {
		ID string `json:"id"`
	}
	r.expect(t, http.StatusCreated, "").into(t, &mara)
	r = a.do(t, req{Method: "POST", Path: "/api/characters", Token: author, Body: map[string]any{"story_id": ids.story, "name": "Jonah"}})
	doc.check(t, "POST", "/api/characters", r, "Character")
	var jonah struct {
		ID string `json:"id"`
	}
	r.expect(t, http.StatusCreated, "").into(t, &jonah)
	r = a.do(t, req{Method: "PUT", Path: "/api/characters/" + mara.ID, Token: author, Body: map[string]any{"version": 2, "name": "Mara"}})
	doc.check(t, "PUT", "/api/characters/{id}", r)
	r.expect(t, http.StatusConflict, "VERSION_CONFLICT")
	r = a.do(t, req{Method: "GET", Path: "/api/stories/" + ids.story + "/characters", Token: viewer})
	doc.check(t, "GET", "/api/stories/{id}/characters", r, "Character")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "POST", Path: "/api/characters/" + mara.ID + "/relationships", Token: author,
		Body: map[string]any{"to_character_id": jonah.ID, "kind": "sister"}})
	doc.check(t, "POST", "/api/characters/{id}/relationships", r, "Relationship")
	r.expect(t, http.StatusCreated, "")
	r = a.do(t, req{Method: "GET", Path: "/api/characters/" + jonah.ID + "/relationships", Token: viewer})
	doc.check(t, "GET", "/api/characters/{id}/relationships", r, "Relationship")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "POST", Path: "/api/stories/" + ids.story + "/entries", Token: author, Body: map[string]any{
		"kind": "location", "name": "Harbour of Ys", "details": map[string]any{"climate": "wet"}}})
	doc.check(t, "POST", "/api/stories/{id}/entries", r, "Entry")
	r.expect(t, http.StatusCreated, "")
	r = a.do(t, req{Method: "POST", Path: "/api/stories/" + ids.story + "/facts", Token: author, Body: map[string]any{
		"character_id": mara.ID, "fact": "Mara has lost her left hand.", "from_chapter": 12}})
	doc.check(t, "POST", "/api/stories/{id}/facts", r, "Fact")
	r.expect(t, http.StatusCreated, "")
	r = a.do(t, req{Method: "GET", Path: "/api/stories/" + ids.story + "/facts?as_of_chapter=12", Token: viewer})
	doc.check(t, "GET", "/api/stories/{id}/facts", r, "Fact")
	r.expect(t, http.StatusOK, "")

	// Scenes.
	r = a.do(t, req{Method: "POST", Path: chapter + "/scenes", Token: author, Body: map[string]any{
		"title": "The crossing", "setting": "The salt flats, dawn", "pov_character_id": mara.ID,
		"card":     map[string]any{"goal": "Cross before the tide.", "beats": []string{"Wake", "Walk"}, "target_words": 1500},
		"markdown": "The salt glittered."}})
	doc.check(t, "POST", "/api/chapters/{id}/scenes", r, "SceneWithContent")
	r.expect(t, http.StatusCreated, "").into(t, &rec)
	r = a.do(t, req{Method: "POST", Path: chapter + "/scenes", Token: author, Body: map[string]any{"title": "Empty"}})
	doc.check(t, "POST", "/api/chapters/{id}/scenes", r, "SceneWithContent")
	r.expect(t, http.StatusCreated, "")
	for _, token := range []string{author, ""} {
		r = a.do(t, req{Method: "GET", Path: chapter + "/scenes", Token: token})
		doc.check(t, "GET", "/api/chapters/{id}/scenes", r, "SceneSummary")
		r.expect(t, http.StatusOK, "")
	}
	r = a.do(t, req{Method: "GET", Path: "/api/scenes/" + rec.ID + "?format=text"})
	doc.check(t, "GET", "/api/scenes/{id}", r, "SceneWithText")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "PUT", Path: "/api/scenes/" + rec.ID, Token: author, Header: map[string]string{"If-Match": `"7"`}, Body: map[string]any{"card": nil}})
	doc.check(t, "PUT", "/api/scenes/{id}", r)
	r.expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")

	// Into the trash and back.
	r = a.do(t, req{Method: "DELETE", Path: "/api/stories/" + ids.privateStory + "?confirm=Notebook", Token: author})
	doc.check(t, "DELETE", "/api/stories/{id}", r, "StoryDeleted")
	r.expect(t, http.StatusOK, "")
	r = a.do(t, req{Method: "POST", Path: "/api/stories/" + ids.privateStory + "/restore", Token: author})
	doc.check(t, "POST", "/api/stories/{id}/restore", r, "StoryView")
	r.expect(t, http.StatusOK, "")
	return ids
}

// check fails the test unless r is a response the document declares for the
// operation: its status is listed, its required headers are present, its
// Content-Type matches, and its body is valid against the declared schema. For a
// success envelope, the top-level keys of data must be exactly the properties of
// its schema, of the component named by view when the data may take several shapes.
func (d *apiDoc) check(t *testing.T, method, path string, r *response, view ...string) {
	t.Helper()
	op := d.operation(t, method, path)
	declared := get(op, "responses")[strconv.Itoa(r.Status)]
	if declared == nil {
		t.Errorf("%s %s answered %d, which the document does not declare: %s", method, path, r.Status, r.Raw)
		return
	}
	resp, _, err := d.resolve(declared)
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range get(resp, "headers") {
		h, _, err := d.resolve(h)
		if err != nil {
			t.Fatal(err)
		}
		if h["required"] == true && r.Header.Get(name) == "" {
			t.Errorf("%s %s %d: no %s header, which the document requires", method, path, r.Status, name)
		}
	}
	ct := r.Header.Get("Content-Type")
	var media map[string]any
	for mt, m := range get(resp, "content") {
		if strings.HasPrefix(ct, mt) {
			media = m.(map[string]any)
		}
	}
	if media == nil {
		t.Errorf("%s %s %d: Content-Type %q is not declared", method, path, r.Status, ct)
		return
	}
	if !strings.HasPrefix(ct, "application/json") {
		return
	}
	var body any
	if err := json.Unmarshal(r.Raw, &body); err != nil {
		t.Fatalf("%s %s %d: %v", method, path, r.Status, err)
	}
	schema := media["schema"]
	for _, p := range d.validate(schema, body, "body") {
		t.Errorf("%s %s %d: %s", method, path, r.Status, p)
	}
	if r.Status >= 300 || path == "/api/openapi.json" {
		return
	}
	env, _, err := d.resolve(schema)
	if err != nil {
		t.Fatal(err)
	}
	d.checkDataKeys(t, fmt.Sprintf("%s %s %d", method, path, r.Status), get(env, "properties")["data"], r.Data, view)
}

// checkDataKeys compares the top-level keys of data (or of each of its items) with
// the properties of its schema.
func (d *apiDoc) checkDataKeys(t *testing.T, what string, schema any, data json.RawMessage, view []string) {
	t.Helper()
	s, _, err := d.resolve(schema)
	if err != nil {
		t.Fatal(err)
	}
	if s["type"] == "array" {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			t.Fatalf("%s: data is not an array: %v", what, err)
		}
		if len(items) == 0 {
			t.Errorf("%s: data is an empty array; nothing to compare", what)
		}
		for _, it := range items {
			d.checkDataKeys(t, what+" item", s["items"], it, view)
		}
		return
	}
	if alts, ok := s["oneOf"].([]any); ok {
		if len(view) == 0 {
			t.Fatalf("%s: data is one of several schemas; name the one expected", what)
		}
		s = nil
		for _, alt := range alts {
			if a, name, _ := d.resolve(alt); name == view[0] {
				s = a
			}
		}
		if s == nil {
			t.Fatalf("%s: %s is not one of the data schemas", what, view[0])
		}
	} else if len(view) > 0 {
		if _, name, _ := d.resolve(schema); name != view[0] {
			t.Errorf("%s: data schema is %q, want %s", what, name, view[0])
		}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		t.Fatalf("%s: data is not an object: %v", what, err)
	}
	var got, want []string
	for k := range obj {
		got = append(got, k)
	}
	for k := range get(s, "properties") {
		want = append(want, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: data has keys\n\t%v\nthe document declares\n\t%v", what, got, want)
	}
}

// validate checks v against a JSON Schema, supporting the keywords the document
// uses, and returns what is wrong.
func (d *apiDoc) validate(schema, v any, at string) []string {
	s, _, err := d.resolve(schema)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, at+": "+fmt.Sprintf(format, args...)) }

	if alts, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, alt := range alts {
			if len(d.validate(alt, v, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			bad("matches %d of the oneOf schemas, want exactly 1", n)
		}
	}
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, v) {
		bad("is %v, want %v", v, c)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		bad("is %v, not one of %v", v, enum)
	}
	if typ, ok := s["type"]; ok {
		types, _ := typ.([]any)
		if name, ok := typ.(string); ok {
			types = []any{name}
		}
		if !slices.ContainsFunc(types, func(want any) bool { return hasType(v, want.(string)) }) {
			bad("is %s, want type %v", jsonType(v), typ)
			return out
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props := get(s, "properties")
		req, _ := s["required"].([]any)
		for _, k := range req {
			if _, ok := x[k.(string)]; !ok {
				bad("lacks required property %q", k)
			}
		}
		for k, val := range x {
			if p, ok := props[k]; ok {
				out = append(out, d.validate(p, val, at+"."+k)...)
				continue
			}
			switch extra := s["additionalProperties"].(type) {
			case bool:
				if !extra {
					bad("has undeclared property %q", k)
				}
			case map[string]any:
				out = append(out, d.validate(extra, val, at+"."+k)...)
			}
		}
	case []any:
		for i, item := range x {
			out = append(out, d.validate(s["items"], item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case string:
		n := utf8.RuneCountInString(x)
		if m, ok := s["minLength"].(float64); ok && float64(n) < m {
			bad("is shorter than %v characters", m)
		}
		if m, ok := s["maxLength"].(float64); ok && float64(n) > m {
			bad("is longer than %v characters", m)
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			bad("%q does not match %s", x, p)
		}
		if f, ok := s["format"].(string); ok && !hasFormat(x, f) {
			bad("%q is not a valid %s", x, f)
		}
	case float64:
		if m, ok := s["minimum"].(float64); ok && x < m {
			bad("%v is below the minimum %v", x, m)
		}
		if m, ok := s["maximum"].(float64); ok && x > m {
			bad("%v is above the maximum %v", x, m)
		}
	}
	return out
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func hasType(v any, want string) bool {
	got := jsonType(v)
	return got == want || (want == "number" && got == "integer")
}

func hasFormat(s, format string) bool {
	switch format {
	case "date-time":
		_, err := time.Parse(time.RFC3339Nano, s)
		return err == nil
	case "uuid":
		_, err := uuid.Parse(s)
		return err == nil && len(s) == 36
	case "email":
		at := strings.LastIndex(s, "@")
		return at > 0 && at < len(s)-1
	case "uri":
		u, err := url.Parse(s)
		return err == nil && u.Scheme != ""
	}
	return true
}
