package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
)

// Authenticator recognises the caller of a request. It returns ok=false when the
// request carries no credentials at all, and an error when it carries bad ones.
type Authenticator interface {
	Authenticate(r *http.Request) (p auth.Principal, ok bool, err error)
}

type authErrKey struct{}

// Authenticate puts the caller, when there is one, in the request context. Bad
// credentials are remembered, not answered: only the handlers that need a caller
// (RequireAuth) reject them, so a stale token does not block public routes such as
// refresh, and /metrics can use its own bearer token.
func Authenticate(a Authenticator) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok, err := a.Authenticate(r)
			switch {
			case err != nil:
				r = r.WithContext(context.WithValue(r.Context(), authErrKey{}, err))
			case ok:
				r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequireAuth answers 401 (or the credentials' own error) unless the request has an
// authenticated caller.
func RequireAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err, ok := r.Context().Value(authErrKey{}).(error); ok {
			Error(w, r, err)
			return
		}
		if _, ok := auth.FromContext(r.Context()); !ok {
			Error(w, r, errs.E(errs.Unauthorized, "authentication required: send Authorization: Bearer <access token>"))
			return
		}
		h(w, r)
	}
}

// OptionalAuth lets anonymous requests through but rejects bad credentials, so a
// client that meant to sign in is told rather than served the anonymous view.
func OptionalAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err, ok := r.Context().Value(authErrKey{}).(error); ok {
			Error(w, r, err)
			return
		}
		h(w, r)
	}
}

// RequireAdmin answers 401 without a caller and 403 unless the caller is an admin.
func RequireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return RequireAuth(func(w http.ResponseWriter, r *http.Request) {
		if p, _ := auth.FromContext(r.Context()); !p.IsAdmin() {
			Error(w, r, errs.E(errs.Forbidden, "admin role required"))
			return
		}
		h(w, r)
	})
}

// Mux is where a service registers its routes: *http.ServeMux or a *Router.
type Mux interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Router is an http.ServeMux that remembers the patterns registered on it, so the
// API document can be checked against the real routes.
type Router struct {
	*http.ServeMux
	patterns []string
}

// NewRouter returns an empty Router.
func NewRouter() *Router { return &Router{ServeMux: http.NewServeMux()} }

// HandleFunc registers handler for pattern.
func (r *Router) HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request)) {
	r.Handle(pattern, http.HandlerFunc(handler))
}

// Handle registers handler for pattern. The handler reports its pattern to the
// Observe middleware, which sits outside the mux and cannot see it otherwise.
func (r *Router) Handle(pattern string, handler http.Handler) {
	r.patterns = append(r.patterns, pattern)
	_, path, ok := strings.Cut(pattern, " ")
	if !ok {
		path = pattern
	}
	r.ServeMux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if slot, ok := req.Context().Value(routeKey{}).(*string); ok {
			*slot = path
		}
		handler.ServeHTTP(w, req)
	}))
}

// Patterns returns the registered patterns in registration order.
func (r *Router) Patterns() []string { return append([]string(nil), r.patterns...) }
