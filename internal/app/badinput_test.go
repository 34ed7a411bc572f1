package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// sendStream sends body with the given bearer token and Content-Type (none when
// empty). Unlike a.do it passes body through as is: one that is not a
// *strings.Reader or *bytes.Reader has no known length, so it goes out chunked.
func sendStream(t *testing.T, a *testApp, method, path, token, contentType string, body io.Reader) *response {
	t.Helper()
	hr, err := http.NewRequest(method, a.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := &response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	var env struct {
		Data  json.RawMessage `json:"data"`
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s %s: body is not the envelope: %v\n%s", method, path, err, raw)
	}
	out.Data = env.Data
	if len(env.Error) > 0 && string(env.Error) != "null" {
		if err := json.Unmarshal(env.Error, &out.Error); err != nil {
			t.Fatalf("bad error object: %v", err)
		}
	}
	return out
}

// TestBadInput sends malformed, mistyped, oversized and otherwise hostile requests
// and checks that each gets a precise 4xx and that nothing stored is harmed.
func TestBadInput(t *testing.T) {
	const password = "correct horse battery staple"
	a := boot(t, embedded)
	me := a.register(t, "zadie")
	before := a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "")

	// reg builds a registration body, replacing or adding members with extra (raw JSON).
	reg := func(extra string) string {
		body := `{"email":"new@example.com","username":"newcomer","password":"` + password + `"`
		if extra != "" {
			body += "," + extra
		}
		return body + "}"
	}
	deep := `{"profile":{"bio":` + strings.Repeat("[", 100_001) + strings.Repeat("]", 100_001) + `}}`

	cases := []struct {
		name   string
		method string
		path   string
		auth   bool
		body   string
		header map[string]string
		status int
		code   string
		field  string // the field at fault, named in error.field and the message
		inMsg  string // also in the message, when set
	}{
		{name: "malformed JSON", method: "POST", path: "/api/auth/register", body: `{"email" "x@example.com"}`,
			status: 400, code: "VALIDATION_FAILED", inMsg: "malformed"},
		{name: "truncated JSON", method: "POST", path: "/api/auth/register", body: `{"email":"x@example.com",`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "single quotes", method: "POST", path: "/api/auth/register", body: `{'email':'x@example.com'}`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "unknown field", method: "POST", path: "/api/auth/register", body: reg(`"is_admin":true`),
			status: 400, code: "VALIDATION_FAILED", field: "is_admin"},
		{name: "unknown field role", method: "POST", path: "/api/auth/register", body: reg(`"role":"admin"`),
			status: 400, code: "VALIDATION_FAILED", field: "role"},
		{name: "wrong type", method: "POST", path: "/api/auth/register",
			body:   `{"email":"new@example.com","username":5,"password":"` + password + `"}`,
			status: 400, code: "VALIDATION_FAILED", field: "username"},
		{name: "object for a string", method: "POST", path: "/api/auth/login", body: `{"email":{"$ne":null},"password":"x"}`,
			status: 400, code: "VALIDATION_FAILED", field: "email"},
		{name: "body is an array", method: "POST", path: "/api/auth/register", body: `[` + reg("") + `]`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "body is a string", method: "POST", path: "/api/auth/register", body: `"hello"`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "body is a number", method: "POST", path: "/api/auth/login", body: `42`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "body is null", method: "POST", path: "/api/auth/register", body: `null`,
			status: 400, code: "VALIDATION_FAILED", inMsg: "not null"},
		{name: "empty body", method: "POST", path: "/api/auth/register",
			status: 400, code: "VALIDATION_FAILED", inMsg: "empty"},
		{name: "whitespace body", method: "POST", path: "/api/auth/login", body: " \n\t ",
			status: 400, code: "VALIDATION_FAILED"},
		{name: "trailing object", method: "POST", path: "/api/auth/register", body: reg("") + `{"email":"x@example.com"}`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "trailing garbage", method: "POST", path: "/api/auth/login", body: `{"email":"zadie@example.com","password":"` + password + `"}garbage`,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "text/plain", method: "POST", path: "/api/auth/register", body: reg(""),
			header: map[string]string{"Content-Type": "text/plain"}, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "form encoded", method: "POST", path: "/api/auth/login", body: "email=zadie%40example.com&password=x",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "unparseable Content-Type", method: "POST", path: "/api/auth/login", body: `{}`,
			header: map[string]string{"Content-Type": ";;;"}, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "invalid email", method: "POST", path: "/api/auth/register",
			body:   `{"email":"not-an-email","username":"newcomer","password":"` + password + `"}`,
			status: 400, code: "VALIDATION_FAILED", field: "email"},
		{name: "email with display name", method: "POST", path: "/api/auth/register",
			body:   `{"email":"Eve <eve@example.com>","username":"newcomer","password":"` + password + `"}`,
			status: 400, code: "VALIDATION_FAILED", field: "email"},
		{name: "short password", method: "POST", path: "/api/auth/register",
			body:   `{"email":"new@example.com","username":"newcomer","password":"short"}`,
			status: 400, code: "VALIDATION_FAILED", field: "password"},
		{name: "bad username", method: "POST", path: "/api/auth/register",
			body:   `{"email":"new@example.com","username":"no spaces/please","password":"` + password + `"}`,
			status: 400, code: "VALIDATION_FAILED", field: "username"},
		{name: "control characters in display_name", method: "POST", path: "/api/auth/register", body: reg(`"display_name":"a\u0000b"`),
			status: 400, code: "VALIDATION_FAILED", field: "display_name"},
		{name: "bad UUID", method: "GET", path: "/api/users/not-a-uuid", auth: true,
			status: 400, code: "VALIDATION_FAILED", field: "id"},
		{name: "UUID without hyphens", method: "GET", path: "/api/users/" + strings.ReplaceAll(me.User.ID, "-", ""), auth: true,
			status: 400, code: "VALIDATION_FAILED", field: "id"},
		{name: "unknown route", method: "GET", path: "/api/no/such/route", status: 404, code: "NOT_FOUND"},
		{name: "unknown route under a known prefix", method: "POST", path: "/api/auth/registerx", body: reg(""), status: 404, code: "NOT_FOUND"},
		{name: "wrong method", method: "DELETE", path: "/api/auth/login", status: 405, code: "METHOD_NOT_ALLOWED"},
		{name: "wrong method with a body", method: "PUT", path: "/api/auth/register", body: reg(""), status: 405, code: "METHOD_NOT_ALLOWED"},
		{name: "integer overflow", method: "PUT", path: "/api/users/profile", auth: true, body: `{"version":99999999999999999999999999999}`,
			status: 400, code: "VALIDATION_FAILED", field: "version"},
		{name: "float overflow", method: "PUT", path: "/api/users/profile", auth: true, body: `{"version":1e400}`,
			status: 400, code: "VALIDATION_FAILED", field: "version"},
		{name: "fraction for an integer", method: "PUT", path: "/api/users/profile", auth: true, body: `{"version":1.5}`,
			status: 400, code: "VALIDATION_FAILED", field: "version"},
		{name: "number for a string", method: "POST", path: "/api/auth/login", body: `{"email":1e999,"password":"x"}`,
			status: 400, code: "VALIDATION_FAILED", field: "email"},
		{name: "deeply nested JSON", method: "PUT", path: "/api/users/profile", auth: true, body: deep,
			status: 400, code: "VALIDATION_FAILED"},
		{name: "query integer overflow", method: "GET", path: "/api/auth/events?limit=99999999999999999999999", auth: true,
			status: 400, code: "VALIDATION_FAILED", field: "limit"},
		{name: "bad If-Match", method: "PUT", path: "/api/users/profile", auth: true, body: `{"display_name":"Z"}`,
			header: map[string]string{"If-Match": `"banana"`}, status: 400, code: "VALIDATION_FAILED", field: "If-Match"},
		{name: "invalid UTF-8 in display_name", method: "PUT", path: "/api/users/profile", auth: true,
			body:   "{\"display_name\":\"Za\xff\xfedie\"}",
			status: 400, code: "VALIDATION_FAILED", field: "display_name"},
		{name: "invalid UTF-8 in display_name at registration", method: "POST", path: "/api/auth/register",
			body:   reg("\"display_name\":\"New\xc3\x28comer\""),
			status: 400, code: "VALIDATION_FAILED", field: "display_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := req{Method: c.method, Path: c.path, RawBody: c.body, Header: c.header}
			if c.auth {
				r.Token = me.AccessToken
			}
			resp := a.do(t, r)
			if resp.Status >= 500 {
				t.Fatalf("status %d: hostile input must never be a server error; body %s", resp.Status, resp.Raw)
			}
			resp.expect(t, c.status, c.code)
			if resp.Error.Field != c.field {
				t.Errorf("error.field = %q, want %q (message %q)", resp.Error.Field, c.field, resp.Error.Message)
			}
			if c.field != "" && !strings.Contains(resp.Error.Message, c.field) {
				t.Errorf("message %q does not name the field %s", resp.Error.Message, c.field)
			}
			if c.inMsg != "" && !strings.Contains(resp.Error.Message, c.inMsg) {
				t.Errorf("message %q does not mention %q", resp.Error.Message, c.inMsg)
			}
		})
	}

	t.Run("empty body declared as JSON", func(t *testing.T) {
		sendStream(t, a, "POST", "/api/auth/login", "", "application/json", strings.NewReader("")).
			expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	})

	t.Run("nothing stored was harmed", func(t *testing.T) {
		after := a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "")
		if !bytes.Equal(after.Data, before.Data) {
			t.Errorf("profile changed:\nbefore %s\nafter  %s", before.Data, after.Data)
		}
		if got, want := after.Header.Get("ETag"), before.Header.Get("ETag"); got != want {
			t.Errorf("ETag = %s, want %s", got, want)
		}
		var s session
		a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"email": "zadie@example.com", "password": password}}).
			expect(t, http.StatusOK, "").into(t, &s)
		if s.User.Username != "zadie" || s.User.DisplayName != "zadie" {
			t.Errorf("signed-in user = %+v", s.User)
		}
		// No registration attempt above created an account.
		a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "newcomer", "password": password}}).
			expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	})
}

// TestBodyLimit checks MAX_BODY_BYTES with and without a declared length.
func TestBodyLimit(t *testing.T) {
	const limit = 1024
	a := boot(t, embedded, withEnv("MAX_BODY_BYTES", "1024"))
	me := a.register(t, "zadie")
	big := `{"email":"zadie@example.com","password":"` + strings.Repeat("x", 2*limit) + `"}`
	bigProfile := `{"profile":{"bio":"` + strings.Repeat("y", 2*limit) + `"}}`
	// A body just under the limit is fine: the limit is not off by a lot.
	fits := `{"profile":{"bio":"` + strings.Repeat("z", limit-40) + `"}}`

	cases := []struct {
		name    string
		path    string
		method  string
		body    string
		chunked bool
		status  int
		code    string
	}{
		{"with Content-Length", "/api/auth/login", "POST", big, false, 413, "PAYLOAD_TOO_LARGE"},
		{"chunked", "/api/auth/login", "POST", big, true, 413, "PAYLOAD_TOO_LARGE"},
		{"profile with Content-Length", "/api/users/profile", "PUT", bigProfile, false, 413, "PAYLOAD_TOO_LARGE"},
		{"profile chunked", "/api/users/profile", "PUT", bigProfile, true, 413, "PAYLOAD_TOO_LARGE"},
		{"chunked under the limit", "/api/users/profile", "PUT", fits, true, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(c.body)
			if c.chunked {
				body = io.MultiReader(body) // hides the length
			}
			sendStream(t, a, c.method, c.path, me.AccessToken, "application/json", body).expect(t, c.status, c.code)
		})
	}

	t.Run("the account is intact", func(t *testing.T) {
		var p struct {
			Profile struct{ Bio string }
		}
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
		if !strings.HasPrefix(p.Profile.Bio, "zzz") {
			t.Errorf("bio = %.20q…, want the one that fit", p.Profile.Bio)
		}
		a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
			"email": "zadie@example.com", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "")
	})
}
