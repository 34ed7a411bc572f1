package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/app"
	"github.com/authorworks/authorworks/internal/ratelimit"
)

// TestReauthLockout: a stolen access token must not allow unlimited guesses of the
// password or of MFA codes behind it.
func TestReauthLockout(t *testing.T) {
	strict := func(_ map[string]string, o *app.Options) {
		o.Lockout = &ratelimit.LockoutPolicy{Free: 3, Base: time.Minute, Max: 10 * time.Minute, Window: time.Hour}
	}
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b, strict)
			me := a.register(t, "guessed")
			change := func(pw string) *response {
				return a.do(t, req{Method: "POST", Path: "/api/auth/password", Token: me.AccessToken,
					Body: map[string]string{"current_password": pw, "new_password": "another long passphrase"}})
			}
			for range 3 {
				change("wrong guess here").expect(t, http.StatusForbidden, "FORBIDDEN")
			}
			r := change("wrong guess here").expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After on the lockout")
			}
			// Even the right password waits out the lock; so does the email change.
			change("correct horse battery staple").expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
			a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]string{
				"email": "elsewhere@example.com", "current_password": "correct horse battery staple"}}).
				expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
			if b == embedded {
				a.Clock.Advance(2 * time.Minute)
				change("correct horse battery staple").expect(t, http.StatusOK, "")
			}
		})
	}
}

// TestMFAGuessLockout: wrong codes on confirm lock further attempts.
func TestMFAGuessLockout(t *testing.T) {
	a := boot(t, embedded, func(_ map[string]string, o *app.Options) {
		o.Lockout = &ratelimit.LockoutPolicy{Free: 2, Base: time.Minute, Max: 10 * time.Minute, Window: time.Hour}
	})
	me := a.register(t, "codeguess")
	a.do(t, req{Method: "POST", Path: "/api/auth/mfa/enroll", Token: me.AccessToken}).expect(t, http.StatusOK, "")
	for range 2 {
		a.do(t, req{Method: "POST", Path: "/api/auth/mfa/confirm", Token: me.AccessToken, Body: map[string]string{"code": "000000"}}).
			expect(t, http.StatusBadRequest, "MFA_INVALID")
	}
	a.do(t, req{Method: "POST", Path: "/api/auth/mfa/confirm", Token: me.AccessToken, Body: map[string]string{"code": "000000"}}).
		expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
}

// TestProfileNoOpAndVersion: an update that changes nothing keeps the version, and a
// version below 1 is refused rather than skipping the concurrency check.
func TestProfileNoOpAndVersion(t *testing.T) {
	a := boot(t, embedded)
	me := a.register(t, "steady")
	var p struct{ Version int }
	a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{}}).
		expect(t, http.StatusOK, "").into(t, &p)
	if p.Version != 1 {
		t.Fatalf("empty update moved the version to %d", p.Version)
	}
	r := a.do(t, req{Method: "PUT", Path: "/api/users/profile", Token: me.AccessToken, Body: map[string]any{"version": 0, "display_name": "X"}}).
		expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	if r.Error.Field != "version" {
		t.Fatalf("field = %q, want version", r.Error.Field)
	}
}

// TestStaleTokenOnPublicRoutes: a client that still sends an expired access token
// can refresh, and public routes answer normally.
func TestStaleTokenOnPublicRoutes(t *testing.T) {
	a := boot(t, embedded)
	me := a.register(t, "stale")
	a.Clock.Advance(20 * time.Minute)
	a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	var s session
	a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Token: me.AccessToken, Body: map[string]string{"refresh_token": me.RefreshToken}}).
		expect(t, http.StatusOK, "").into(t, &s)
	a.do(t, req{Method: "GET", Path: "/health", Token: "garbage"}).expect(t, http.StatusOK, "")
	a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusOK, "")
}
