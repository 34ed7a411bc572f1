package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/errs"
)

type sample struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	Tags  []string
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, body, ctype string
		kind              errs.Kind
		field, msg        string
	}{
		{"ok", `{"name":"a","count":2}`, "application/json", -1, "", ""},
		{"no content type is fine", `{"name":"a"}`, "", -1, "", ""},
		{"malformed", `{"name":`, "application/json", errs.Invalid, "", "truncated"},
		{"syntax", `{"name" "a"}`, "application/json", errs.Invalid, "", "malformed JSON at byte"},
		{"unknown field", `{"nope":1}`, "application/json", errs.Invalid, "nope", `unknown field "nope"`},
		{"wrong type", `{"count":"x"}`, "application/json", errs.Invalid, "count", "must be an integer"},
		{"array body", `[1]`, "application/json", errs.Invalid, "", "JSON object"},
		{"empty", ``, "application/json", errs.Invalid, "", "empty"},
		{"trailing", `{"name":"a"} {}`, "application/json", errs.Invalid, "", "single JSON object"},
		{"too large", `{"name":"` + strings.Repeat("a", 200) + `"}`, "application/json", errs.TooLarge, "", "exceeds"},
		{"form", `name=a`, "application/x-www-form-urlencoded", errs.UnsupportedMedia, "", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			var v sample
			err := Decode(httptest.NewRecorder(), r, 100, &v)
			if tt.kind == -1 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("err = %#v, want kind %d field %q message containing %q", err, tt.kind, tt.field, tt.msg)
			}
		})
	}
}

func TestErrorEnvelope(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		code   string
		msg    string
	}{
		{errs.E(errs.NotFound, "book not found"), 404, CodeNotFound, "book not found"},
		{&errs.Error{Kind: errs.Internal, Message: "secret db detail"}, 500, CodeInternal, "internal error"},
		{errorString("raw failure"), 500, CodeInternal, "internal error"},
		{(&errs.Error{Kind: errs.Conflict, Message: "taken"}).WithCode("VERSION_CONFLICT"), 409, "VERSION_CONFLICT", "taken"},
	} {
		w := httptest.NewRecorder()
		Error(w, httptest.NewRequest("GET", "/", nil), tt.err)
		var env Envelope
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
			t.Fatal(err)
		}
		if w.Code != tt.status || env.Error == nil || env.Error.Code != tt.code || env.Error.Message != tt.msg || env.Data != nil {
			t.Errorf("Error(%v) = %d %s", tt.err, w.Code, w.Body.String())
		}
	}
	w := httptest.NewRecorder()
	Error(w, httptest.NewRequest("GET", "/", nil), &errs.Error{Kind: errs.RateLimited, Message: "slow down", RetryAfter: 1500e6})
	if w.Header().Get("Retry-After") != "2" {
		t.Errorf("Retry-After = %q, want 2 (rounded up)", w.Header().Get("Retry-After"))
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestRealIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tt := range []struct {
		remote, xff, want string
		viaProxy          bool
	}{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9", false},
		{"10.0.0.2:5000", "1.2.3.4", "1.2.3.4", true},
		{"10.0.0.2:5000", "6.6.6.6, 1.2.3.4, 10.0.0.3", "1.2.3.4", true},
		{"10.0.0.2:5000", "", "10.0.0.2", true},
	} {
		var got Peer
		h := RealIP(trusted)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = PeerOf(r.Context()) }))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got.IP != tt.want || got.ViaTrustedProxy != tt.viaProxy {
			t.Errorf("remote %s xff %q: got %+v, want %s via proxy %v", tt.remote, tt.xff, got, tt.want, tt.viaProxy)
		}
	}
}

func TestCORS(t *testing.T) {
	h := CORS([]string{"https://app.example.com"})(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	r := httptest.NewRequest("OPTIONS", "/api/auth/login", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "POST")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight = %d %v", w.Code, w.Header())
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Origin", "https://evil.example.com")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("foreign origin allowed")
	}
}
