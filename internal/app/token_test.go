package app_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authorworks/authorworks/internal/auth"
)

// jwtSecretOf returns the key the app signs access tokens with: JWT_SECRET, or the
// secret the embedded mode generated into its data directory.
func jwtSecretOf(t *testing.T, a *testApp) []byte {
	t.Helper()
	if s := a.env["JWT_SECRET"]; s != "" {
		return []byte(s)
	}
	b, err := os.ReadFile(filepath.Join(a.env["AUTHORWORKS_DATA_DIR"], "jwt_secret"))
	if err != nil {
		t.Fatalf("read the generated JWT secret: %v", err)
	}
	return []byte(strings.TrimSpace(string(b)))
}

// claimsOf returns the claims of an access token, unverified.
func claimsOf(t *testing.T, token string) auth.Claims {
	t.Helper()
	var c auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatalf("parse access token: %v", err)
	}
	return c
}

// signJWT signs c with method and key.
func signJWT(t *testing.T, method jwt.SigningMethod, c auth.Claims, key []byte) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// TestAccessTokenRejected checks that only untampered, unexpired HS256 tokens of
// the app's key and of a live session are accepted.
func TestAccessTokenRejected(t *testing.T) {
	b64 := base64.RawURLEncoding
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			s := a.register(t, "mallory")
			key := jwtSecretOf(t, a)
			genuine := claimsOf(t, s.AccessToken)
			parts := strings.Split(s.AccessToken, ".")
			if len(parts) != 3 {
				t.Fatalf("access token has %d parts, want 3", len(parts))
			}
			with := func(edit func(c *auth.Claims)) auth.Claims {
				c := genuine
				c.Audience = append(jwt.ClaimStrings(nil), genuine.Audience...)
				edit(&c)
				return c
			}

			// The forgery machinery works: a token built here with the genuine key and
			// claims is accepted, so each rejection below is for its own reason.
			t.Run("control: re-signed genuine claims are accepted", func(t *testing.T) {
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: signJWT(t, jwt.SigningMethodHS256, genuine, key)}).
					expect(t, http.StatusOK, "")
			})

			payload, err := b64.DecodeString(parts[1])
			if err != nil {
				t.Fatal(err)
			}
			var fields map[string]any
			if err := json.Unmarshal(payload, &fields); err != nil {
				t.Fatal(err)
			}
			fields["role"] = "admin"
			adminPayload, err := json.Marshal(fields)
			if err != nil {
				t.Fatal(err)
			}
			noneHeader := b64.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))

			cases := []struct {
				name   string
				header string // Authorization, when set; else Bearer token
				token  string
			}{
				{name: "alg none", token: noneHeader + "." + parts[1] + "."},
				{name: "alg none with admin role", token: noneHeader + "." + b64.EncodeToString(adminPayload) + "."},
				{name: "alg none keeping the signature", token: noneHeader + "." + parts[1] + "." + parts[2]},
				{name: "another key", token: signJWT(t, jwt.SigningMethodHS256, genuine, []byte("a different secret that is long enough!!"))},
				{name: "HS512 with the right key", token: signJWT(t, jwt.SigningMethodHS512, genuine, key)},
				{name: "HS384 with the right key", token: signJWT(t, jwt.SigningMethodHS384, genuine, key)},
				{name: "payload tampered to admin", token: parts[0] + "." + b64.EncodeToString(adminPayload) + "." + parts[2]},
				{name: "signature stripped", token: parts[0] + "." + parts[1] + "."},
				{name: "wrong issuer", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.Issuer = "evil" }), key)},
				{name: "no issuer", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.Issuer = "" }), key)},
				{name: "wrong audience", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other-api"} }), key)},
				{name: "no audience", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.Audience = nil }), key)},
				{name: "no expiry", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.ExpiresAt = nil }), key)},
				{name: "not yet valid", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) {
					c.NotBefore = jwt.NewNumericDate(a.Clock.Now().Add(time.Hour))
				}), key)},
				{name: "issued in the future", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) {
					c.IssuedAt = jwt.NewNumericDate(a.Clock.Now().Add(time.Hour))
				}), key)},
				{name: "no session id", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.SessionID = "" }), key)},
				{name: "no subject", token: signJWT(t, jwt.SigningMethodHS256, with(func(c *auth.Claims) { c.Subject = "" }), key)},
				{name: "garbage", token: "garbage"},
				{name: "three garbage parts", token: "a.b.c"},
				{name: "refresh token as access token", token: s.RefreshToken},
				{name: "token with trailing junk", token: s.AccessToken + "x"},
				{name: "Basic scheme", header: "Basic xyz"},
				{name: "Basic scheme carrying the token", header: "Basic " + s.AccessToken},
				{name: "bare token without scheme", header: s.AccessToken},
				{name: "Bearer without token", header: "Bearer"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := req{Method: "GET", Path: "/api/auth/profile", Token: c.token}
					if c.header != "" {
						r = req{Method: "GET", Path: "/api/auth/profile", Header: map[string]string{"Authorization": c.header}}
					}
					resp := a.do(t, r).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
					if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", resp.Header.Get("WWW-Authenticate"))
					}
				})
			}

			t.Run("token of a logged-out session", func(t *testing.T) {
				var other session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
					"username": "mallory", "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &other)
				a.do(t, req{Method: "POST", Path: "/api/auth/logout", Token: other.AccessToken}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: other.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				// Re-signing the dead session's claims does not revive it.
				a.do(t, req{Method: "GET", Path: "/api/auth/profile",
					Token: signJWT(t, jwt.SigningMethodHS256, claimsOf(t, other.AccessToken), key)}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusOK, "")
			})

			t.Run("expired (last: moves the clock)", func(t *testing.T) {
				a.Clock.Advance(15*time.Minute - time.Minute)
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusOK, "")
				a.Clock.Advance(time.Minute + 10*time.Second)
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				// The refresh token still works and gives a token valid now.
				var r session
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": s.RefreshToken}}).
					expect(t, http.StatusOK, "").into(t, &r)
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: r.AccessToken}).expect(t, http.StatusOK, "")
			})
		})
	}
}

// TestAccessTokenTTLConfig checks that ACCESS_TOKEN_TTL sets the lifetime.
func TestAccessTokenTTLConfig(t *testing.T) {
	a := boot(t, embedded, withEnv("ACCESS_TOKEN_TTL", "2m"))
	s := a.register(t, "brief")
	if s.ExpiresIn != 120 {
		t.Fatalf("expires_in = %d, want 120", s.ExpiresIn)
	}
	a.Clock.Advance(2*time.Minute + 10*time.Second)
	a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
}

// TestEmbeddedSecretSurvivesRestart boots twice on one data directory: the secret
// generated by the first run is kept private and still verifies its tokens after
// the restart.
func TestEmbeddedSecretSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	var s session
	// Each run lives in its own subtest, so its app stops when the subtest ends.
	t.Run("first run", func(t *testing.T) {
		a := boot(t, embedded, withEnv("AUTHORWORKS_DATA_DIR", dir))
		s = a.register(t, "ravel")
		fi, err := os.Stat(filepath.Join(dir, "jwt_secret"))
		if err != nil {
			t.Fatalf("generated secret: %v", err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Fatalf("jwt_secret mode = %o, want 600", perm)
		}
		if len(jwtSecretOf(t, a)) < auth.MinSecretLen {
			t.Fatalf("generated secret is shorter than %d bytes", auth.MinSecretLen)
		}
	})
	if s.AccessToken == "" {
		t.Fatal("first run produced no token")
	}
	before, err := os.ReadFile(filepath.Join(dir, "jwt_secret"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("second run", func(t *testing.T) {
		a := boot(t, embedded, withEnv("AUTHORWORKS_DATA_DIR", dir))
		var p struct{ Username string }
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
		if p.Username != "ravel" {
			t.Fatalf("profile after restart = %+v", p)
		}
		a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": s.RefreshToken}}).
			expect(t, http.StatusOK, "")
		after, err := os.ReadFile(filepath.Join(dir, "jwt_secret"))
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before) {
			t.Fatal("the restart replaced the generated secret")
		}
	})

	t.Run("a fresh data directory has another secret", func(t *testing.T) {
		a := boot(t, embedded)
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: s.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	})
}
