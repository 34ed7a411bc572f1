// Package auth holds the identity primitives every service shares: who is asking
// (Principal), access tokens (JWT, HS256 pinned) and password hashing (argon2id).
// Accounts, sessions and MFA live in package user.
package auth

import "context"

// Roles a user can hold.
const (
	RoleUser  = "user"
	RoleAdmin = "admin"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID    string
	SessionID string // empty for callers authenticated by a trusted proxy
	Role      string
	// Via says how the caller was authenticated: "token" or "proxy".
	Via string
}

// IsAdmin reports whether the caller holds the admin role.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller of the request, if one was authenticated.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
