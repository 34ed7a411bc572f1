package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/config"
)

// ssoHeaders are what Authelia behind Traefik sets for a signed-in user.
func ssoHeaders(user, groups string) map[string]string {
	return map[string]string{
		"Remote-User":   user,
		"Remote-Email":  user + "@corp.example.com",
		"Remote-Groups": groups,
	}
}

type ssoProfile struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Username string `json:"username"`
	Role     string `json:"role"`
}

// TestProxySSO checks sign-in through a trusted reverse proxy's Remote-* headers.
func TestProxySSO(t *testing.T) {
	trusted := []bootOption{withEnv("AUTH_PROXY_ENABLED", "true"), withEnv("TRUSTED_PROXY_CIDRS", "127.0.0.1/32")}

	for _, b := range backends {
		t.Run(string(b)+"/first request provisions the account", func(t *testing.T) {
			a := boot(t, b, trusted...)
			var p ssoProfile
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders("hsmith", "writers")}).
				expect(t, http.StatusOK, "").into(t, &p)
			if p.Username != "hsmith" || p.Role != "user" || p.Email != "hsmith@corp.example.com" {
				t.Fatalf("provisioned profile = %+v, want username hsmith, role user, email hsmith@corp.example.com", p)
			}
			var again ssoProfile
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders("hsmith", "writers")}).
				expect(t, http.StatusOK, "").into(t, &again)
			if again.ID != p.ID {
				t.Fatalf("second request got account %s, want the provisioned %s", again.ID, p.ID)
			}
		})
	}

	t.Run("roles follow the groups", func(t *testing.T) {
		a := boot(t, embedded, trusted...)
		cases := []struct {
			name, groups, role string
		}{
			{"plain member", "writers", "user"},
			{"admins group grants admin", "writers, admins", "admin"},
			{"admins alone", "admins", "admin"},
			{"group gone drops admin", "writers", "user"},
			{"similar name is not the group", "admins-readonly,superadmins", "user"},
			{"no groups", "", "user"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var p ssoProfile
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders("hsmith", c.groups)}).
					expect(t, http.StatusOK, "").into(t, &p)
				if p.Role != c.role {
					t.Fatalf("groups %q: role = %q, want %q", c.groups, p.Role, c.role)
				}
			})
		}
	})

	t.Run("headers are ignored unless trusted and enabled", func(t *testing.T) {
		cases := []struct {
			name string
			opts []bootOption
		}{
			{"peer not a trusted proxy", []bootOption{withEnv("AUTH_PROXY_ENABLED", "true"), withEnv("TRUSTED_PROXY_CIDRS", "10.0.0.0/8")}},
			{"proxy auth not enabled", []bootOption{withEnv("TRUSTED_PROXY_CIDRS", "127.0.0.1/32")}},
			{"proxy auth disabled", []bootOption{withEnv("AUTH_PROXY_ENABLED", "false"), withEnv("TRUSTED_PROXY_CIDRS", "127.0.0.1/32")}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				a := boot(t, embedded, c.opts...)
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders("hsmith", "writers,admins")}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				// Nor was an account created on the side.
				a.do(t, req{Method: "POST", Path: "/api/auth/register", Body: map[string]string{
					"email": "hsmith@example.com", "username": "hsmith", "password": "correct horse battery staple"}}).
					expect(t, http.StatusCreated, "")
			})
		}
	})

	t.Run("a bearer token takes precedence over the headers", func(t *testing.T) {
		a := boot(t, embedded, trusted...)
		me := a.register(t, "ursula")
		var p ssoProfile
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: me.AccessToken, Header: ssoHeaders("hsmith", "admins")}).
			expect(t, http.StatusOK, "").into(t, &p)
		if p.ID != me.User.ID || p.Username != "ursula" || p.Role != "user" {
			t.Fatalf("profile with token and SSO headers = %+v, want ursula's", p)
		}
		// A bad token is not rescued by the headers either.
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: "not-a-token", Header: ssoHeaders("hsmith", "writers")}).
			expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	})

	t.Run("look-alike SSO names are separate accounts", func(t *testing.T) {
		a := boot(t, embedded, trusted...)
		seen := map[string]string{}
		for _, name := range []string{"h@smith", "h#smith", "h_smith", "_"} {
			var p ssoProfile
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders(name, "writers")}).
				expect(t, http.StatusOK, "").into(t, &p)
			if other, dup := seen[p.ID]; dup {
				t.Fatalf("SSO users %q and %q share account %s", other, name, p.ID)
			}
			seen[p.ID] = name
			var again ssoProfile
			a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders(name, "writers")}).
				expect(t, http.StatusOK, "").into(t, &again)
			if again.ID != p.ID {
				t.Fatalf("SSO user %q got account %s, then %s", name, p.ID, again.ID)
			}
		}
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: ssoHeaders(strings.Repeat("x", 300), "writers")}).
			expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
	})

	t.Run("an SSO user never takes over a local account", func(t *testing.T) {
		a := boot(t, embedded, trusted...)
		local := a.register(t, "hsmith") // hsmith@example.com
		var p ssoProfile
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Header: map[string]string{
			"Remote-User": "hsmith", "Remote-Email": "hsmith@example.com", "Remote-Groups": "admins"}}).
			expect(t, http.StatusOK, "").into(t, &p)
		if p.ID == local.User.ID {
			t.Fatal("the SSO user hsmith was signed in as the local account hsmith")
		}
		if p.Username == "hsmith" || p.Email == "hsmith@example.com" {
			t.Fatalf("SSO account took the local account's username or email: %+v", p)
		}
		var mine ssoProfile
		a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: local.AccessToken}).expect(t, http.StatusOK, "").into(t, &mine)
		if mine.Role != "user" {
			t.Fatalf("local account's role changed to %s", mine.Role)
		}
	})
}

// TestProxySSOConfig checks that SSO headers cannot be switched on without saying
// which proxies may send them.
func TestProxySSOConfig(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"enabled without trusted proxies", map[string]string{"AUTH_PROXY_ENABLED": "true"}, "TRUSTED_PROXY_CIDRS"},
		{"not a boolean", map[string]string{"AUTH_PROXY_ENABLED": "maybe", "TRUSTED_PROXY_CIDRS": "127.0.0.1/32"}, "AUTH_PROXY_ENABLED"},
		{"bad CIDR", map[string]string{"AUTH_PROXY_ENABLED": "true", "TRUSTED_PROXY_CIDRS": "10.0.0.0/99"}, "TRUSTED_PROXY_CIDRS"},
		{"enabled with trusted proxies", map[string]string{"AUTH_PROXY_ENABLED": "true", "TRUSTED_PROXY_CIDRS": "127.0.0.1/32"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.env["AUTHORWORKS_DATA_DIR"] = t.TempDir()
			cfg, err := config.Load(func(k string) string { return c.env[k] }, nil)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("config.Load: %v, want no error", err)
				}
				if !cfg.ProxyAuth {
					t.Fatal("ProxyAuth = false, want true")
				}
				return
			}
			if err == nil {
				t.Fatalf("config.Load succeeded, want an error naming %s", c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("config.Load error = %q, want it to name %s", err, c.wantErr)
			}
		})
	}
}
