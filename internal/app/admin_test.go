package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/user"
)

type userPage struct {
	Items []struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Role     string `json:"role"`
		IsActive bool   `json:"is_active"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// makeAdmin appoints an admin the way an operator does (authorworks set-role) and
// signs in again so the new role is in the token.
func (a *testApp) makeAdmin(t testing.TB, username string) session {
	t.Helper()
	a.register(t, username)
	if _, err := user.SetRole(context.Background(), a.DB, username, "admin", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	var s session
	a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{
		"username": username, "password": "correct horse battery staple"}}).expect(t, http.StatusOK, "").into(t, &s)
	if s.User.Role != "admin" {
		t.Fatalf("role after set-role = %s", s.User.Role)
	}
	return s
}

func TestAdminUsers(t *testing.T) {
	for _, b := range backends {
		t.Run(string(b), func(t *testing.T) {
			a := boot(t, b)
			admin := a.makeAdmin(t, "root")
			a.Clock.Advance(time.Second)
			var writers []session
			for _, n := range []string{"wanda", "walter", "winona"} {
				writers = append(writers, a.register(t, n))
				a.Clock.Advance(time.Second) // distinct creation times, as in life
			}

			t.Run("only admins", func(t *testing.T) {
				a.do(t, req{Method: "GET", Path: "/api/admin/users"}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "GET", Path: "/api/admin/users", Token: writers[0].AccessToken}).expect(t, http.StatusForbidden, "FORBIDDEN")
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + writers[1].User.ID, Token: writers[0].AccessToken,
					Body: map[string]any{"role": "admin"}}).expect(t, http.StatusForbidden, "FORBIDDEN")
			})

			t.Run("pages through everyone, newest first", func(t *testing.T) {
				var seen []string
				cursor := ""
				for pages := 0; ; pages++ {
					if pages > 5 {
						t.Fatal("pagination does not end")
					}
					var p userPage
					a.do(t, req{Method: "GET", Path: "/api/admin/users?limit=2&cursor=" + url.QueryEscape(cursor), Token: admin.AccessToken}).
						expect(t, http.StatusOK, "").into(t, &p)
					for _, u := range p.Items {
						seen = append(seen, u.Username)
					}
					if p.NextCursor == nil {
						break
					}
					cursor = *p.NextCursor
				}
				want := []string{"winona", "walter", "wanda", "root"}
				if len(seen) != len(want) {
					t.Fatalf("listed %v, want %v", seen, want)
				}
				for i := range want {
					if seen[i] != want[i] {
						t.Fatalf("listed %v, want %v", seen, want)
					}
				}
				var p userPage
				a.do(t, req{Method: "GET", Path: "/api/admin/users?q=WAL", Token: admin.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
				if len(p.Items) != 1 || p.Items[0].Username != "walter" {
					t.Fatalf("q=WAL found %+v", p.Items)
				}
				a.do(t, req{Method: "GET", Path: "/api/admin/users?q=%25", Token: admin.AccessToken}).expect(t, http.StatusOK, "").into(t, &p)
				if len(p.Items) != 0 {
					t.Fatalf("q=%% matched %d users; wildcards must be literal", len(p.Items))
				}
				a.do(t, req{Method: "GET", Path: "/api/admin/users?cursor=bogus", Token: admin.AccessToken}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				a.do(t, req{Method: "GET", Path: "/api/admin/users?limit=0", Token: admin.AccessToken}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
			})

			t.Run("role changes", func(t *testing.T) {
				var u struct{ Role string }
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + writers[0].User.ID, Token: admin.AccessToken,
					Body: map[string]any{"role": "admin"}}).expect(t, http.StatusOK, "").into(t, &u)
				if u.Role != "admin" {
					t.Fatalf("role = %s", u.Role)
				}
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + writers[0].User.ID, Token: admin.AccessToken,
					Body: map[string]any{"role": "owner"}}).expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
				// A new admin signs in again to get the role; a demoted one loses it at once.
				var promoted session
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "wanda", "password": "correct horse battery staple"}}).
					expect(t, http.StatusOK, "").into(t, &promoted)
				a.do(t, req{Method: "GET", Path: "/api/admin/users", Token: promoted.AccessToken}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + writers[0].User.ID, Token: admin.AccessToken,
					Body: map[string]any{"role": "user"}}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/admin/users", Token: promoted.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + admin.User.ID, Token: admin.AccessToken,
					Body: map[string]any{"is_active": false}}).expect(t, http.StatusForbidden, "FORBIDDEN")
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/00000000-0000-4000-8000-000000000000", Token: admin.AccessToken,
					Body: map[string]any{"role": "user"}}).expect(t, http.StatusNotFound, "NOT_FOUND")
			})

			t.Run("switching an account off ends its sessions", func(t *testing.T) {
				victim := writers[2]
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + victim.User.ID, Token: admin.AccessToken,
					Body: map[string]any{"is_active": false}}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "GET", Path: "/api/auth/profile", Token: victim.AccessToken}).expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/refresh", Body: map[string]string{"refresh_token": victim.RefreshToken}}).
					expect(t, http.StatusUnauthorized, "UNAUTHORIZED")
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "winona", "password": "correct horse battery staple"}}).
					expect(t, http.StatusForbidden, "ACCOUNT_DISABLED")
				// Others no longer see it.
				a.do(t, req{Method: "GET", Path: "/api/users/" + victim.User.ID, Token: writers[1].AccessToken}).expect(t, http.StatusNotFound, "NOT_FOUND")
				a.do(t, req{Method: "PATCH", Path: "/api/admin/users/" + victim.User.ID, Token: admin.AccessToken,
					Body: map[string]any{"is_active": true}}).expect(t, http.StatusOK, "")
				a.do(t, req{Method: "POST", Path: "/api/auth/login", Body: map[string]string{"username": "winona", "password": "correct horse battery staple"}}).
					expect(t, http.StatusOK, "")
			})
		})
	}
}
