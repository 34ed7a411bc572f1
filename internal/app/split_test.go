package app_test

import (
	"net/http"
	"testing"
)

// TestSplitRole serves only the user role, as one node of a split deployment does.
func TestSplitRole(t *testing.T) {
	a := boot(t, embedded, withEnv("AUTHORWORKS_ROLES", "user"))
	var h struct {
		Roles []string `json:"roles"`
	}
	a.do(t, req{Method: "GET", Path: "/health"}).expect(t, http.StatusOK, "").into(t, &h)
	if len(h.Roles) != 1 || h.Roles[0] != "user" {
		t.Fatalf("roles = %v, want [user]", h.Roles)
	}
	s := a.register(t, "splitter")
	a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusOK, "")
	// The placeholder home page belongs to the all-in-one process (later the web app).
	a.do(t, req{Method: "GET", Path: "/"}).expect(t, http.StatusNotFound, "NOT_FOUND")
}

// TestIndexPage checks the all-in-one process says what it is at /.
func TestIndexPage(t *testing.T) {
	a := boot(t, embedded)
	r := a.do(t, req{Method: "GET", Path: "/"})
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET / = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}
