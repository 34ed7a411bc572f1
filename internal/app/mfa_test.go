package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// totpCode returns the authenticator code of secret at the app's current time.
func totpCode(t *testing.T, a *testApp, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, a.Clock.Now())
	if err != nil {
		t.Fatalf("generate TOTP code: %v", err)
	}
	return code
}

// wrongTOTPCode returns a six-digit code that is not the code of secret in any step
// the server accepts (previous, current or next).
func wrongTOTPCode(t *testing.T, a *testApp, secret string) string {
	t.Helper()
	now := a.Clock.Now()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.GenerateCode(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// TestMFA walks TOTP enrollment, confirmation, sign-in with a second factor, replay
// protection and disabling on each backend.
func TestMFA(t *testing.T) {
	const password = "correct horse battery staple"
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			me := a.register(t, "ada")
			login := func(t *testing.T, code string) *response {
				t.Helper()
				body := map[string]string{"email": "ada@example.com", "password": password}
				if code != "" {
					body["mfa_code"] = code
				}
				return a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: body})
			}

			t.Run("unauthenticated enroll is refused", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/enroll"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
			})

			var enr struct {
				Secret     string `json:"secret"`
				OTPAuthURI string `json:"otpauth_uri"`
			}
			t.Run("enroll returns a secret and an otpauth URI", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/enroll", Token: me.AccessToken}).
					expect(t, http.StatusOK, "").into(t, &enr)
				if enr.Secret == "" {
					t.Fatal("enroll returned an empty secret")
				}
				if !strings.HasPrefix(enr.OTPAuthURI, "otpauth://totp/") {
					t.Fatalf("otpauth_uri = %q, want prefix otpauth://totp/", enr.OTPAuthURI)
				}
				u, err := url.Parse(enr.OTPAuthURI)
				if err != nil {
					t.Fatalf("parse otpauth_uri: %v", err)
				}
				q := u.Query()
				if got := q.Get("issuer"); got != "AuthorWorks" {
					t.Errorf("issuer = %q, want AuthorWorks", got)
				}
				if got := q.Get("secret"); got != enr.Secret {
					t.Errorf("URI secret = %q, want the returned secret %q", got, enr.Secret)
				}
				if !strings.HasPrefix(strings.TrimPrefix(u.Path, "/"), "AuthorWorks:") {
					t.Errorf("label = %q, want it to start with AuthorWorks:", u.Path)
				}
			})
			if enr.Secret == "" {
				t.Fatal("no enrollment to continue with")
			}

			t.Run("confirm with a wrong code", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/confirm", Token: me.AccessToken,
					Body: map[string]string{"code": wrongTOTPCode(t, a, enr.Secret)}}).
					expect(t, http.StatusBadRequest, "MFA_INVALID")
				var p map[string]any
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
				if p["mfa_enabled"] != false {
					t.Fatalf("mfa_enabled = %v after a wrong code, want false", p["mfa_enabled"])
				}
			})

			t.Run("confirm with the right code", func(t *testing.T) {
				var out map[string]bool
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/confirm", Token: me.AccessToken,
					Body: map[string]string{"code": totpCode(t, a, enr.Secret)}}).
					expect(t, http.StatusOK, "").into(t, &out)
				if !out["mfa_enabled"] {
					t.Fatalf("confirm answered %v, want mfa_enabled true", out)
				}
				var p map[string]any
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
				if p["mfa_enabled"] != true {
					t.Fatalf("profile mfa_enabled = %v, want true", p["mfa_enabled"])
				}
			})

			t.Run("enroll again is a conflict", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/enroll", Token: me.AccessToken}).
					expect(t, http.StatusConflict, "CONFLICT")
			})

			t.Run("login needs the second factor", func(t *testing.T) {
				r := login(t, "").expect(t, http.StatusUnauthorized, "MFA_REQUIRED")
				if len(r.Data) != 0 && string(r.Data) != "null" {
					t.Fatalf("login without a code returned data %s, want none", r.Data)
				}
				if strings.Contains(string(r.Raw), "access_token") || strings.Contains(string(r.Raw), "awr_") {
					t.Fatalf("login without a code leaked tokens: %s", r.Raw)
				}
				r = login(t, wrongTOTPCode(t, a, enr.Secret)).expect(t, http.StatusUnauthorized, "MFA_INVALID")
				if strings.Contains(string(r.Raw), "access_token") {
					t.Fatalf("login with a wrong code leaked tokens: %s", r.Raw)
				}
			})

			t.Run("login with a fresh code, then its replay", func(t *testing.T) {
				// Confirmation used the code of the current step; move on to the next.
				a.Clock.Advance(30 * time.Second)
				code := totpCode(t, a, enr.Secret)
				var s session
				login(t, code).expect(t, http.StatusOK, "").into(t, &s)
				if s.AccessToken == "" || !s.User.MFAEnabled {
					t.Fatalf("login with MFA returned %+v", s)
				}
				login(t, code).expect(t, http.StatusUnauthorized, "MFA_INVALID")

				// A code from the previous step is older than the one used: refused too.
				a.Clock.Advance(30 * time.Second)
				login(t, code).expect(t, http.StatusUnauthorized, "MFA_INVALID")
				login(t, totpCode(t, a, enr.Secret)).expect(t, http.StatusOK, "")
			})

			t.Run("disable needs a fresh code", func(t *testing.T) {
				used := totpCode(t, a, enr.Secret) // used by the last login
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/disable", Token: me.AccessToken,
					Body: map[string]string{"code": used}}).expect(t, http.StatusBadRequest, "MFA_INVALID")
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/disable", Token: me.AccessToken,
					Body: map[string]string{"code": ""}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")

				a.Clock.Advance(30 * time.Second)
				var out map[string]bool
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/disable", Token: me.AccessToken,
					Body: map[string]string{"code": totpCode(t, a, enr.Secret)}}).expect(t, http.StatusOK, "").into(t, &out)
				if v, ok := out["mfa_enabled"]; !ok || v {
					t.Fatalf("disable answered %v, want mfa_enabled false", out)
				}
				var p map[string]any
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
				if p["mfa_enabled"] != false {
					t.Fatalf("profile mfa_enabled = %v after disable, want false", p["mfa_enabled"])
				}
				var s session
				login(t, "").expect(t, http.StatusOK, "").into(t, &s)
				if s.User.MFAEnabled {
					t.Fatal("login after disable still reports mfa_enabled")
				}
			})

			t.Run("disable when off is a conflict", func(t *testing.T) {
				a.do(t, req{Method: "POST", Path: "/api/auth/mfa/disable", Token: me.AccessToken,
					Body: map[string]string{"code": totpCode(t, a, enr.Secret)}}).expect(t, http.StatusConflict, "CONFLICT")
			})

			t.Run("events record the MFA lifecycle", func(t *testing.T) {
				var events []struct{ Event string }
				a.do(t, req{Method: "GET", Path: "/api/auth/events?limit=100", Token: me.AccessToken}).
					expect(t, http.StatusOK, "").into(t, &events)
				seen := map[string]bool{}
				for _, e := range events {
					seen[e.Event] = true
				}
				for _, want := range []string{"mfa_enrollment_started", "mfa_enabled", "mfa_disabled"} {
					if !seen[want] {
						t.Errorf("no %q event in %v", want, events)
					}
				}
			})
		})
	}
}
