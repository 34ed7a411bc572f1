package user

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// dbRevocations reads revocation straight from auth_sessions: always right, one
// primary-key lookup per request. Used when no Redis is configured.
type dbRevocations struct{ db *sqldb.DB }

var _ Revocations = dbRevocations{}

// Revoke does nothing: the service has already marked the row revoked.
func (dbRevocations) Revoke(context.Context, string, time.Duration) error { return nil }

func (r dbRevocations) IsRevoked(ctx context.Context, id string) (bool, error) {
	return sessionRevoked(ctx, r.db, id)
}

// KV is the part of a shared cache that CacheRevocations needs.
type KV interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// CacheRevocations keeps revoked session ids in a shared cache (Redis) for as long
// as their access tokens live, so every node sees a logout at once without a
// database query per request.
type CacheRevocations struct{ KV KV }

var _ Revocations = CacheRevocations{}

// Revoke implements Revocations.
func (r CacheRevocations) Revoke(ctx context.Context, id string, ttl time.Duration) error {
	return r.KV.Set(ctx, "session:revoked:"+id, []byte{'1'}, ttl+time.Minute)
}

// IsRevoked implements Revocations.
func (r CacheRevocations) IsRevoked(ctx context.Context, id string) (bool, error) {
	_, ok, err := r.KV.Get(ctx, "session:revoked:"+id)
	return ok, err
}

// ProxySSO configures sign-in through a trusted reverse proxy (Authelia behind
// Traefik) that sets Remote-User, Remote-Email and Remote-Groups.
type ProxySSO struct {
	Enabled    bool
	AdminGroup string
}

// Authenticator recognises callers by bearer access token, or by SSO headers from a
// trusted proxy when that is enabled.
type Authenticator struct {
	svc *Service
	sso ProxySSO
}

var _ httpapi.Authenticator = (*Authenticator)(nil)

// NewAuthenticator returns an Authenticator backed by svc.
func NewAuthenticator(svc *Service, sso ProxySSO) *Authenticator {
	return &Authenticator{svc: svc, sso: sso}
}

// Authenticate implements httpapi.Authenticator.
func (a *Authenticator) Authenticate(r *http.Request) (auth.Principal, bool, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return auth.Principal{}, false, errs.E(errs.Unauthorized, "Authorization must be: Bearer <access token>")
		}
		p, err := a.svc.VerifyAccessToken(r.Context(), strings.TrimSpace(token))
		return p, err == nil, err
	}
	if a.sso.Enabled && httpapi.PeerOf(r.Context()).ViaTrustedProxy {
		if remote := strings.TrimSpace(r.Header.Get("Remote-User")); remote != "" {
			p, err := a.svc.ProxyPrincipal(r.Context(), remote, r.Header.Get("Remote-Email"), r.Header.Get("Remote-Groups"), a.sso.AdminGroup)
			return p, err == nil, err
		}
	}
	return auth.Principal{}, false, nil
}

// VerifyAccessToken checks an access token and that its session is still live.
func (s *Service) VerifyAccessToken(ctx context.Context, token string) (auth.Principal, error) {
	c, err := s.tokens.Verify(token)
	if err != nil {
		return auth.Principal{}, errs.E(errs.Unauthorized, "invalid or expired access token")
	}
	revoked, err := s.revoked.IsRevoked(ctx, c.SessionID)
	if err != nil {
		return auth.Principal{}, &errs.Error{Kind: errs.Unavailable, Message: "cannot verify the session now", Err: err}
	}
	if revoked {
		return auth.Principal{}, errs.E(errs.Unauthorized, "this session has ended; sign in again")
	}
	return auth.Principal{UserID: c.Subject, SessionID: c.SessionID, Role: c.Role, Via: "token"}, nil
}

var unsafeUsername = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// ProxyPrincipal finds, or on first sight creates, the account of an SSO user and
// keeps its admin role in step with the proxy's groups. The account is found by the
// proxy's user name verbatim (sso_subject), never by a look-alike username or an
// email, so an SSO identity cannot take over a local account.
func (s *Service) ProxyPrincipal(ctx context.Context, remoteUser, email, groups, adminGroup string) (auth.Principal, error) {
	remoteUser = strings.TrimSpace(remoteUser)
	if len(remoteUser) > 255 || !utf8.ValidString(remoteUser) {
		return auth.Principal{}, errs.E(errs.Unauthorized, "the single sign-on user name is not usable here")
	}
	role := auth.RoleUser
	for _, g := range strings.Split(groups, ",") {
		if adminGroup != "" && strings.TrimSpace(g) == adminGroup {
			role = auth.RoleAdmin
		}
	}
	u, err := userBySSOSubject(ctx, s.db, remoteUser)
	switch {
	case errs.Is(err, errs.NotFound):
		u, err = s.provisionSSO(ctx, remoteUser, email, role)
		if err != nil {
			return auth.Principal{}, err
		}
	case err != nil:
		return auth.Principal{}, err
	case u.Role != role:
		if _, err := s.db.ExecContext(ctx, `UPDATE users SET role = $1, updated_at = $2 WHERE id = $3`, role, s.nowUTC(), u.ID); err != nil {
			return auth.Principal{}, err
		}
		u.Role = role
	}
	if !u.IsActive {
		return auth.Principal{}, errs.E(errs.Forbidden, "this account is disabled").WithCode(CodeDisabled)
	}
	return auth.Principal{UserID: u.ID, Role: u.Role, Via: "proxy"}, nil
}

// ssoUsername derives a valid username from an SSO user name.
func ssoUsername(subject string) string {
	name := strings.Trim(unsafeUsername.ReplaceAllString(subject, "_"), "_.-")
	if len(name) > 26 {
		name = name[:26]
	}
	if ValidateUsername(name) != nil {
		name = "user"
	}
	return name
}

// provisionSSO creates the account of an SSO user seen for the first time. When the
// derived username or the email belongs to another account, it picks a free
// username and leaves the email unset (a placeholder) instead of linking the two.
func (s *Service) provisionSSO(ctx context.Context, subject, email, role string) (*User, error) {
	base := ssoUsername(subject)
	addr, err := NormalizeEmail("email", email)
	if err != nil {
		addr = ""
	}
	now := s.nowUTC()
	for attempt := range 6 {
		id := uuid.NewString()
		name := base
		if attempt > 0 {
			name = base + "-" + id[:4]
		}
		mail := addr
		if mail == "" {
			mail = "sso-" + id[:8] + "@sso.invalid"
		}
		u := &User{ID: id, Email: mail, Username: name, DisplayName: subject, Role: role, SSOSubject: subject,
			SubscriptionTier: TierFree, SubscriptionStatus: StatusActive, IsActive: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		err = s.db.InTx(ctx, func(tx *sql.Tx) error {
			if err := insertUser(ctx, tx, u); err != nil {
				return err
			}
			return s.event(ctx, tx, u.ID, "sso_provisioned", Client{}, map[string]any{"remote_user": subject, "username": name})
		})
		var e *errs.Error
		if err == nil || !errors.As(err, &e) || e.Kind != errs.Conflict {
			return u, err
		}
		switch e.Field {
		case "sso_subject":
			// Another request provisioned the same user first.
			return userBySSOSubject(ctx, s.db, subject)
		case "email":
			addr = ""
		}
	}
	return nil, fmt.Errorf("user: provision SSO user %q: %w", subject, err)
}
