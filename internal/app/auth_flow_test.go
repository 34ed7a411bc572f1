package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAuthFlow walks register → login → profile → refresh (rotation, reuse
// detection) → logout on each backend.
func TestAuthFlow(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			reg := a.register(t, "ursula")
			if reg.TokenType != "Bearer" || reg.AccessToken == "" || reg.RefreshToken == "" {
				t.Fatalf("register returned %+v", reg)
			}
			if reg.User.Email != "ursula@example.com" || reg.User.Role != "user" {
				t.Fatalf("registered user = %+v", reg.User)
			}

			t.Run("duplicates are conflicts", func(t *testing.T) {
				r := a.do(t, req{Method: "POST", Path: "/api/auth/register", Body: map[string]string{
					"email": "URSULA@example.com", "username": "other", "password": "correct horse battery staple"}}).
					expect(t, http.StatusConflict, "CONFLICT")
				if r.Error.Field != "email" {
					t.Errorf("field = %q, want email", r.Error.Field)
				}
				r = a.do(t, req{Method: "POST", Path: "/api/auth/register", Body: map[string]string{
					"email": "u2@example.com", "username": "URSULA", "password": "correct horse battery staple"}}).
					expect(t, http.StatusConflict, "CONFLICT")
				if r.Error.Field != "username" {
					t.Errorf("field = %q, want username", r.Error.Field)
				}
			})

			var login session
			t.Run("login", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "ursula@example.com", "password": "wrong password!"}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "nobody@example.com", "password": "wrong password!"}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "Ursula@Example.com", "password": "correct horse battery staple"}}).
					expect(t, http.StatusOK, "").into(t, &login)
				if login.SessionID == reg.SessionID {
					t.Fatal("login reused the registration session")
				}
				var byName session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"username": "ursula", "password": "correct horse battery staple"}}).
					expect(t, http.StatusOK, "").into(t, &byName)
			})

			t.Run("profile", func(t *testing.T) {
				a.do(t, req{Method: "GET", Path: "/api/auth/profile"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				var p map[string]any
				r := a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: login.AccessToken}).expect(t, http.StatusOK, "")
				r.into(t, &p)
				if p["email"] != "ursula@example.com" || p["subscription_tier"] != "free" || p["subscription_status"] != "active" {
					t.Fatalf("profile = %v", p)
				}
				if _, leaked := p["password_hash"]; leaked {
					t.Fatal("profile exposes password_hash")
				}
				if r.Header.Get("ETag") != `"1"` {
					t.Errorf("ETag = %q, want \"1\"", r.Header.Get("ETag"))
				}
				if p["last_login"] == nil {
					t.Error("last_login not set after login")
				}
			})

			t.Run("refresh rotates and detects reuse", func(t *testing.T) {
				var r1 session
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": login.RefreshToken}}).
					expect(t, http.StatusOK, "").into(t, &r1)
				if r1.RefreshToken == login.RefreshToken {
					t.Fatal("refresh token was not rotated")
				}
				if r1.SessionID != login.SessionID {
					t.Fatalf("refresh moved to session %s, want %s", r1.SessionID, login.SessionID)
				}
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: r1.AccessToken}).expect(t, http.StatusOK, "")

				// The old token again: theft. The whole session goes.
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": login.RefreshToken}}).
					expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": r1.RefreshToken}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: r1.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: login.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")

				// Other sessions of the same user are untouched.
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: reg.AccessToken}).expect(t, http.StatusOK, "")

				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": "awr_made_up"}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{}}).
					expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			})

			t.Run("concurrent refresh of one token lets one through", func(t *testing.T) {
				var s session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "ursula@example.com", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &s)
				const n = 4
				codes := make(chan int, n)
				for range n {
					go func() {
						r := a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": s.RefreshToken}})
						codes <- r.Status
					}()
				}
				ok := 0
				for range n {
					if <-codes == http.StatusOK {
						ok++
					}
				}
				if ok > 1 {
					t.Fatalf("%d concurrent refreshes of one token succeeded, want at most 1", ok)
				}
			})

			t.Run("logout ends the session", func(t *testing.T) {
				var s session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "ursula@example.com", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &s)
				a.do(t, req{Method: "POST", Path: "/api/auth/logout"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				var out map[string]int
				a.do(t, req{Method: "POST", Path: "/api/auth/logout", Token: s.AccessToken}).expect(t, http.StatusOK, "").into(t, &out)
				if out["sessions_revoked"] != 1 {
					t.Fatalf("logout revoked %d sessions, want 1", out["sessions_revoked"])
				}
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": s.RefreshToken}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: reg.AccessToken}).expect(t, http.StatusOK, "")

				var all map[string]int
				a.do(t, req{Method: "POST", Path: "/api/auth/logout", Token: reg.AccessToken, Body: map[string]bool{"all": true}}).
					expect(t, http.StatusOK, "").into(t, &all)
				if all["sessions_revoked"] < 2 {
					t.Fatalf("logout all revoked %d sessions, want at least 2", all["sessions_revoked"])
				}
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: reg.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			})

			t.Run("security events are recorded", func(t *testing.T) {
				var s session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "ursula@example.com", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &s)
				var events []struct{ Event string }
				a.do(t, req{Method: "GET", Path: "/api/auth/events?limit=100", Token: s.AccessToken}).expect(t, http.StatusOK, "").into(t, &events)
				seen := map[string]bool{}
				for _, e := range events {
					seen[e.Event] = true
				}
				for _, want := range []string{"registered", "login_succeeded", "login_failed", "refresh_token_reused", "logout"} {
					if !seen[want] {
						t.Errorf("no %q event in %v", want, events)
					}
				}
			})
			t.Run("refresh token expires (last: moves the clock)", func(t *testing.T) {
				var s session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"email": "ursula@example.com", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &s)
				if d := s.RefreshExpiresAt.Sub(a.Clock.Now()); d < 29*24*time.Hour || d > 31*24*time.Hour {
					t.Fatalf("refresh lifetime %s, want about 30 days", d)
				}
				a.Clock.Advance(31 * 24 * time.Hour)
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": s.RefreshToken}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			})
		})
	}
}

// TestProfileUpdate covers editing, optimistic concurrency and the public view.
func TestProfileUpdate(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "octavia")
			other := a.register(t, "samuel")

			var p struct {
				DisplayName string            `json:"display_name"`
				Version     int               `json:"version"`
				Profile     map[string]string `json:"profile"`
				Email       string            `json:"email"`
			}
			r := a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{
				"display_name": "Octavia E. Butler", "profile": map[string]string{"bio": "Writes of the future.", "website": "https://example.org"},
			}}).expect(t, http.StatusOK, "")
			r.into(t, &p)
			if p.DisplayName != "Octavia E. Butler" || p.Version != 2 || p.Profile["bio"] != "Writes of the future." {
				t.Fatalf("updated profile = %+v", p)
			}
			if r.Header.Get("ETag") != `"2"` {
				t.Errorf("ETag = %q", r.Header.Get("ETag"))
			}

			// A stale version in the body is a conflict; in If-Match a failed precondition.
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"version": 1, "display_name": "X"}}).
				expect(t, http.StatusConflict, "VERSION_CONFLICT")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Header: map[string]string{"If-Match": `"1"`},
				Body: map[string]any{"display_name": "X"}}).expect(t, http.StatusPreconditionFailed, "PRECONDITION_FAILED")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Header: map[string]string{"If-Match": `"2"`},
				Body: map[string]any{"display_name": "Octavia"}}).expect(t, http.StatusOK, "")

			// Changing email needs the password; a taken username is a conflict.
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"email": "new@example.com"}}).
				expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"email": "new@example.com", "current_password": "nope nope nope"}}).
				expect(t, http.StatusForbidden, "FORBIDDEN")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"email": "new@example.com", "current_password": "correct horse battery staple"}}).
				expect(t, http.StatusOK, "").into(t, &p)
			if p.Email != "new@example.com" {
				t.Fatalf("email = %s", p.Email)
			}
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"username": "Samuel"}}).
				expect(t, http.StatusConflict, "CONFLICT")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"profile": map[string]string{"website": "javascript:alert(1)"}}}).
				expect(t, http.StatusBadRequest, "VALIDATION_FAILED")

			// Others see only public fields; the owner sees everything.
			var pub map[string]any
			a.do(t, req{Method: "GET", Path: "/api/users/" + me.User.ID, Token: other.AccessToken}).expect(t, http.StatusOK, "").into(t, &pub)
			for _, private := range []string{"email", "role", "subscription_tier", "subscription_status", "is_active", "last_login", "mfa_enabled", "version"} {
				if _, ok := pub[private]; ok {
					t.Errorf("public view exposes %s: %v", private, pub)
				}
			}
			if pub["username"] != "octavia" || pub["display_name"] != "Octavia" {
				t.Errorf("public view = %v", pub)
			}
			var own map[string]any
			a.do(t, req{Method: "GET", Path: "/api/users/" + me.User.ID, Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &own)
			if own["email"] != "new@example.com" {
				t.Errorf("own view = %v", own)
			}
			a.do(t, req{Method: "GET", Path: "/api/users/" + me.User.ID}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			a.do(t, req{Method: "GET", Path: "/api/users/00000000-0000-4000-8000-000000000000", Token: me.AccessToken}).
				expect(t, http.StatusNotFound, "NOT_FOUND")

			// A password change signs out the other sessions but keeps this one.
			var second session
			a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "octavia", "password": "correct horse battery staple"}}).
				expect(t, http.StatusOK, "").into(t, &second)
			a.do(t, req{Method: "POST", Path: "/api/auth/password", Token: me.AccessToken, Body: map[string]string{
				"current_password": "correct horse battery staple", "new_password": "short"}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			a.do(t, req{Method: "POST", Path: "/api/auth/password", Token: me.AccessToken, Body: map[string]string{
				"current_password": "correct horse battery staple", "new_password": "a much longer passphrase"}}).expect(t, http.StatusOK, "")
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: second.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "")
			a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "octavia", "password": "a much longer passphrase"}}).
				expect(t, http.StatusOK, "")
			if !strings.Contains(string(a.do(t, req{Method: "GET", Path: "/api/auth/sessions", Token: me.AccessToken}).expect(t, http.StatusOK, "").Raw), `"current":true`) {
				t.Error("sessions list does not mark the current session")
			}
		})
	}
}

// TestPurgeSessions: expired and long-revoked sessions are deleted with their
// refresh tokens; live ones stay.
func TestPurgeSessions(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			old := a.register(t, "oldtimer")
			a.do(t, req{Method: "POST", Path: "/api/auth/logout", Token: old.AccessToken}).expect(t, http.StatusOK, "")
			a.Clock.Advance(8 * 24 * time.Hour)
			fresh := a.register(t, "newcomer")
			n, err := a.Users.PurgeSessions(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("purged %d sessions, want 1 (the one revoked 8 days ago)", n)
			}
			var tokens int
			if err := a.DB.QueryRow(`SELECT COUNT(*) FROM refresh_tokens`).Scan(&tokens); err != nil {
				t.Fatal(err)
			}
			if tokens != 1 {
				t.Fatalf("%d refresh tokens left, want 1", tokens)
			}
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: fresh.AccessToken}).expect(t, http.StatusOK, "")
			a.Clock.Advance(32 * 24 * time.Hour)
			if n, err = a.Users.PurgeSessions(context.Background()); err != nil || n != 1 {
				t.Fatalf("second purge = %d, %v; want the expired session", n, err)
			}
		})
	}
}
