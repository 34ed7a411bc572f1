package app_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/app"
	"github.com/authorworks/authorworks/internal/ratelimit"
	"github.com/authorworks/authorworks/internal/user"
)

// withLockout sets the failed sign-in lockout policy.
func withLockout(p ratelimit.LockoutPolicy) bootOption {
	return func(_ map[string]string, o *app.Options) { o.Lockout = &p }
}

// withLimits sets the sign-in rate limits.
func withLimits(l user.Limits) bootOption {
	return func(_ map[string]string, o *app.Options) { o.Limits = &l }
}

// generousLimits are limits no test here reaches by accident.
func generousLimits() user.Limits {
	l := user.DefaultLimits
	wide := ratelimit.Limit{Rate: 1000, Period: time.Minute, Burst: 1000}
	l.LoginPerIP, l.RegisterPerIP, l.RefreshPerIP, l.RefreshPerSession = wide, wide, wide, wide
	return l
}

// retryAfter returns the response's Retry-After in seconds and fails the test unless
// it is a whole number of at least 1.
func retryAfter(t *testing.T, r *response) int {
	t.Helper()
	v := r.Header.Get("Retry-After")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("Retry-After = %q, want a whole number of seconds >= 1", v)
	}
	return n
}

// TestLoginLockout checks the per-account backoff after failed sign-ins.
func TestLoginLockout(t *testing.T) {
	const password = "correct horse battery staple"
	policy := ratelimit.LockoutPolicy{Free: 3, Base: time.Minute, Max: 10 * time.Minute, Window: time.Hour}
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b, withLockout(policy), withLimits(generousLimits()))
			a.register(t, "grace")
			a.register(t, "alan")
			login := func(t *testing.T, body map[string]string) *response {
				t.Helper()
				return a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: body})
			}
			wrong := map[string]string{"email": "grace@example.com", "password": "not the password"}
			right := map[string]string{"email": "grace@example.com", "password": password}

			t.Run("free failures, then a lock", func(t *testing.T) {
				for i := 1; i <= policy.Free; i++ {
					r := login(t, wrong)
					if r.Status != http.StatusUnauthorized {
						t.Fatalf("wrong password #%d: status %d, want 401; body %s", i, r.Status, r.Raw)
					}
					r.expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				}
				r := login(t, wrong).expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
				if n := retryAfter(t, r); n > int(policy.Base.Seconds()) {
					t.Errorf("Retry-After = %d s, want at most the base lock %s", n, policy.Base)
				}
			})

			t.Run("the right password is refused while locked", func(t *testing.T) {
				r := login(t, right).expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
				retryAfter(t, r)
				if len(r.Data) != 0 && string(r.Data) != "null" {
					t.Fatalf("locked login returned data %s", r.Data)
				}
			})

			t.Run("the lock holds whichever identifier names the account", func(t *testing.T) {
				for _, body := range []map[string]string{
					{"username": "grace", "password": password},
					{"username": "GRACE", "password": password},
					{"email": "grace", "password": password},
				} {
					r := login(t, body)
					if r.Status != http.StatusTooManyRequests {
						t.Errorf("login %v while the account is locked: status %d, want 429 ACCOUNT_LOCKED", body, r.Status)
					}
				}
			})

			t.Run("lockout is per account", func(t *testing.T) {
				login(t, map[string]string{"email": "alan@example.com", "password": password}).expect(t, http.StatusOK, "")
				login(t, map[string]string{"username": "alan", "password": password}).expect(t, http.StatusOK, "")
			})

			if b != embedded {
				// The Redis lockout runs on the Redis server's clock, which the test
				// cannot move; the rest needs the fake clock.
				return
			}

			t.Run("the lock ends and a success resets the count", func(t *testing.T) {
				a.Clock.Advance(policy.Base + time.Second)
				login(t, right).expect(t, http.StatusOK, "")
				// Had the count survived, the next failure would lock again at once.
				for i := 1; i <= policy.Free; i++ {
					login(t, wrong).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				}
				r := login(t, wrong).expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
				retryAfter(t, r)
			})

			t.Run("the lock doubles on the next failure", func(t *testing.T) {
				a.Clock.Advance(policy.Base + time.Second)
				r := login(t, wrong).expect(t, http.StatusTooManyRequests, "ACCOUNT_LOCKED")
				if n := retryAfter(t, r); n <= int(policy.Base.Seconds()) || n > int(2*policy.Base.Seconds()) {
					t.Errorf("second lock Retry-After = %d s, want about %s", n, 2*policy.Base)
				}
			})

			t.Run("failures are forgotten after the window", func(t *testing.T) {
				a.Clock.Advance(policy.Window + time.Minute)
				login(t, wrong).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				login(t, right).expect(t, http.StatusOK, "")
			})
		})
	}
}

// TestLoginRateLimits checks the per-IP limits of the sign-in endpoints and which
// address they count against.
func TestLoginRateLimits(t *testing.T) {
	const password = "correct horse battery staple"
	tight := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 2}
	type endpoint struct {
		name  string
		set   func(l *user.Limits)
		path  string
		body  func(i int) any
		first int    // status of the attempts under the limit
		code  string // and their envelope code
	}
	endpoints := []endpoint{
		{"login", func(l *user.Limits) { l.LoginPerIP = tight }, "/api/auth/login",
			func(int) any { return map[string]string{"email": "nobody@example.com", "password": "wrong password!"} },
			http.StatusUnauthorized, "UNAUTHORIZED"},
		{"register", func(l *user.Limits) { l.RegisterPerIP = tight }, "/api/auth/register",
			func(i int) any {
				name := "writer" + strconv.Itoa(i)
				return map[string]string{"email": name + "@example.com", "username": name, "password": password}
			},
			http.StatusCreated, ""},
		{"refresh", func(l *user.Limits) { l.RefreshPerIP = tight }, "/api/auth/refresh",
			func(int) any { return map[string]string{"refresh_token": "awr_not_a_real_token"} },
			http.StatusUnauthorized, "UNAUTHORIZED"},
	}
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			for _, ep := range endpoints {
				limits := generousLimits()
				ep.set(&limits)

				t.Run(ep.name+" per IP", func(t *testing.T) {
					a := boot(t, b, withLimits(limits))
					for i := range tight.Burst {
						r := a.do(t, req{Method: "POST", Path: ep.path, Body: ep.body(i)})
						if r.Status != ep.first {
							t.Fatalf("attempt %d: status %d, want %d; body %s", i+1, r.Status, ep.first, r.Raw)
						}
					}
					r := a.do(t, req{Method: "POST", Path: ep.path, Body: ep.body(tight.Burst)}).
						expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
					retryAfter(t, r)
				})

				t.Run(ep.name+" ignores X-Forwarded-For from an untrusted peer", func(t *testing.T) {
					a := boot(t, b, withLimits(limits))
					for i := range tight.Burst + 1 {
						r := a.do(t, req{Method: "POST", Path: ep.path, Body: ep.body(i),
							Header: map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i+1)}})
						want := ep.first
						if i == tight.Burst {
							want = http.StatusTooManyRequests
						}
						if r.Status != want {
							t.Fatalf("attempt %d with a forged X-Forwarded-For: status %d, want %d; body %s", i+1, r.Status, want, r.Raw)
						}
					}
				})

				t.Run(ep.name+" honours X-Forwarded-For from a trusted proxy", func(t *testing.T) {
					a := boot(t, b, withLimits(limits), withEnv("TRUSTED_PROXY_CIDRS", "127.0.0.1/32"))
					from := func(ip string, i int) *response {
						return a.do(t, req{Method: "POST", Path: ep.path, Body: ep.body(i),
							Header: map[string]string{"X-Forwarded-For": ip}})
					}
					n := 0
					for range tight.Burst {
						from("203.0.113.10", n).expect(t, ep.first, ep.code)
						n++
					}
					r := from("203.0.113.10", n).expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
					retryAfter(t, r)
					n++
					// Another client behind the same proxy has its own bucket…
					from("203.0.113.11", n).expect(t, ep.first, ep.code)
					n++
					// …and so does the proxy itself (a request without the header).
					r = a.do(t, req{Method: "POST", Path: ep.path, Body: ep.body(n)})
					if r.Status != ep.first {
						t.Fatalf("the proxy's own request: status %d, want %d; body %s", r.Status, ep.first, r.Raw)
					}
					n++
					// A client cannot escape its bucket by prepending a forged hop.
					from("198.51.100.1, 203.0.113.10", n).expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
				})
			}
		})
	}
}
