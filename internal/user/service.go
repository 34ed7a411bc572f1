package user

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/ratelimit"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Revocations answers whether a session was revoked, for the verification of access
// tokens on every request.
type Revocations interface {
	// Revoke records that sessionID is revoked; ttl is how long its access tokens may
	// still be presented.
	Revoke(ctx context.Context, sessionID string, ttl time.Duration) error
	IsRevoked(ctx context.Context, sessionID string) (bool, error)
}

// Limits are the rate limits and lockout of the sign-in endpoints.
type Limits struct {
	LoginPerIP    ratelimit.Limit
	RegisterPerIP ratelimit.Limit
	RefreshPerIP  ratelimit.Limit
	// RefreshPerSession bounds how often one session may refresh.
	RefreshPerSession ratelimit.Limit
}

// DefaultLimits are the production limits.
var DefaultLimits = Limits{
	LoginPerIP:        ratelimit.Limit{Rate: 20, Period: time.Minute, Burst: 10},
	RegisterPerIP:     ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 10},
	RefreshPerIP:      ratelimit.Limit{Rate: 60, Period: time.Minute, Burst: 30},
	RefreshPerSession: ratelimit.Limit{Rate: 10, Period: time.Minute, Burst: 10},
}

// DefaultLockout is the per-account backoff after failed sign-ins: five free
// failures, then 30 s doubling up to 15 minutes.
var DefaultLockout = ratelimit.LockoutPolicy{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute, Window: time.Hour}

// Config holds the Service's dependencies.
type Config struct {
	DB             *sqldb.DB
	Tokens         *auth.Tokens
	Limiter        ratelimit.Limiter
	Lockout        ratelimit.Lockout
	Revocations    Revocations // nil: the auth_sessions table
	Limits         Limits
	RefreshTTL     time.Duration
	PasswordParams auth.PasswordParams
	Now            func() time.Time
	Log            *slog.Logger
}

// Service implements accounts, sign-in and sessions.
type Service struct {
	db         *sqldb.DB
	tokens     *auth.Tokens
	limiter    ratelimit.Limiter
	lockout    ratelimit.Lockout
	revoked    Revocations
	limits     Limits
	refreshTTL time.Duration
	pw         auth.PasswordParams
	now        func() time.Time
	log        *slog.Logger
	// hashSlots bounds concurrent argon2id computations: each holds 32 MiB, so a
	// burst of sign-ins queues instead of exhausting memory.
	hashSlots chan struct{}
	dummyOnce sync.Once
	dummyHash string
	dummyErr  error
}

// NewService returns a Service.
func NewService(c Config) (*Service, error) {
	s := &Service{
		db: c.DB, tokens: c.Tokens, limiter: c.Limiter, lockout: c.Lockout, revoked: c.Revocations,
		limits: c.Limits, refreshTTL: c.RefreshTTL, pw: c.PasswordParams, now: c.Now, log: c.Log,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.pw == (auth.PasswordParams{}) {
		s.pw = auth.DefaultPasswordParams
	}
	if s.refreshTTL == 0 {
		s.refreshTTL = 30 * 24 * time.Hour
	}
	if s.revoked == nil {
		s.revoked = dbRevocations{db: c.DB}
	}
	s.hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	return s, nil
}

// Client describes where a request came from, for rate limits and the audit trail.
type Client struct {
	IP        string
	UserAgent string
}

// Tokens are what a successful sign-in or refresh returns.
type Tokens struct {
	AccessToken      string      `json:"access_token"`
	TokenType        string      `json:"token_type"`
	ExpiresIn        int         `json:"expires_in"`
	ExpiresAt        time.Time   `json:"expires_at"`
	RefreshToken     string      `json:"refresh_token"`
	RefreshExpiresAt time.Time   `json:"refresh_expires_at"`
	SessionID        string      `json:"session_id"`
	User             PrivateView `json:"user"`
}

// RegisterInput is a new account.
type RegisterInput struct {
	Email       string `json:"email"`
	Username    string `json:"username"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
}

// logger returns the request's logger (it carries the request id), or the service's.
func (s *Service) logger(ctx context.Context) *slog.Logger {
	if l, ok := httpapi.LoggerFrom(ctx); ok {
		return l
	}
	return s.log
}

func (s *Service) acquireHashSlot(ctx context.Context) (func(), error) {
	select {
	case s.hashSlots <- struct{}{}:
		return func() { <-s.hashSlots }, nil
	case <-ctx.Done():
		return nil, &errs.Error{Kind: errs.Unavailable, Message: "the server is busy; try again", Err: ctx.Err()}
	}
}

func (s *Service) hashPassword(ctx context.Context, pw string) (string, error) {
	release, err := s.acquireHashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return auth.HashPassword(pw, s.pw)
}

// checkPassword compares pw with hash; with an empty hash (no such account, or an
// SSO account) it does the same work against a dummy hash, so the answer takes as
// long either way and does not reveal which accounts exist.
func (s *Service) checkPassword(ctx context.Context, hash, pw string) (bool, error) {
	if hash == "" {
		s.dummyOnce.Do(func() {
			s.dummyHash, s.dummyErr = auth.HashPassword("not a real password, only for equal timing", s.pw)
		})
		if s.dummyErr != nil {
			return false, s.dummyErr
		}
		hash = s.dummyHash
	}
	release, err := s.acquireHashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return auth.CheckPassword(hash, pw)
}

func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// allow applies a rate limit, turning a denial into a RateLimited error.
func (s *Service) allow(ctx context.Context, key string, l ratelimit.Limit, what string) error {
	res, err := s.limiter.Allow(ctx, key, l)
	if err != nil {
		return &errs.Error{Kind: errs.Unavailable, Message: "rate limiter unavailable", Err: err}
	}
	if !res.Allowed {
		return &errs.Error{Kind: errs.RateLimited, RetryAfter: res.RetryAfter,
			Message: fmt.Sprintf("too many %s attempts; retry in %s", what, ceilSeconds(res.RetryAfter))}
	}
	return nil
}

func ceilSeconds(d time.Duration) string {
	return (d + time.Second - 1).Truncate(time.Second).String()
}

// Register creates an account and signs it in.
func (s *Service) Register(ctx context.Context, in RegisterInput, c Client) (*Tokens, error) {
	email, err := NormalizeEmail("email", in.Email)
	if err != nil {
		return nil, err
	}
	in.Username = strings.TrimSpace(in.Username)
	if err := ValidateUsername(in.Username); err != nil {
		return nil, err
	}
	if err := ValidatePassword("password", in.Password); err != nil {
		return nil, err
	}
	display, err := validateText("display_name", in.DisplayName, maxDisplay)
	if err != nil {
		return nil, err
	}
	if display == "" {
		display = in.Username
	}
	if err := s.allow(ctx, "register:ip:"+c.IP, s.limits.RegisterPerIP, "registration"); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	u := &User{
		ID: uuid.NewString(), Email: email, Username: in.Username, DisplayName: display, PasswordHash: hash,
		Role: auth.RoleUser, SubscriptionTier: TierFree, SubscriptionStatus: StatusActive, IsActive: true,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	var out *Tokens
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := userByUsername(ctx, tx, u.Username); err == nil {
			return &errs.Error{Kind: errs.Conflict, Field: "username", Message: "this username is taken"}
		}
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		if err := s.event(ctx, tx, u.ID, "registered", c, nil); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, u, c, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LoginInput is a sign-in attempt. Login is an email address or a username.
type LoginInput struct {
	Email    string `json:"email"`
	Username string `json:"username"`
	Password string `json:"password"`
	MFACode  string `json:"mfa_code"`
}

// Error codes a client acts on.
const (
	CodeMFARequired = "MFA_REQUIRED"
	CodeBadMFA      = "MFA_INVALID"
	CodeLocked      = "ACCOUNT_LOCKED"
	CodeDisabled    = "ACCOUNT_DISABLED"
	CodeTokenReuse  = "REFRESH_TOKEN_REUSED"
	// CodeVersionConflict: the record changed since the client read it.
	CodeVersionConflict = "VERSION_CONFLICT"
)

// Login checks a password (and a TOTP code when MFA is on) and starts a session.
func (s *Service) Login(ctx context.Context, in LoginInput, c Client) (*Tokens, error) {
	ident := strings.ToLower(strings.TrimSpace(in.Email))
	field := "email"
	if ident == "" {
		ident, field = strings.ToLower(strings.TrimSpace(in.Username)), "username"
	}
	if ident == "" {
		return nil, errs.Field("email", "email (or username) is required")
	}
	if len(ident) > 254 {
		return nil, errs.Field(field, "%s is too long", field)
	}
	if in.Password == "" {
		return nil, errs.Field("password", "password is required")
	}
	if len(in.Password) > maxPassword {
		return nil, errs.Field("password", "password must be at most %d bytes", maxPassword)
	}
	if err := s.allow(ctx, "login:ip:"+c.IP, s.limits.LoginPerIP, "sign-in"); err != nil {
		return nil, err
	}
	var (
		u   *User
		err error
	)
	if field == "email" && strings.Contains(ident, "@") {
		u, err = userByEmail(ctx, s.db, ident)
	} else {
		u, err = userByUsername(ctx, s.db, ident)
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	// Lock the account, not the name it was given by: its email and username
	// must share one failure count.
	lockKey := "login:account:" + ident
	if u != nil {
		lockKey = "login:account:" + u.ID
	}
	locked, err := s.lockout.Check(ctx, lockKey)
	if err != nil {
		return nil, &errs.Error{Kind: errs.Unavailable, Message: "rate limiter unavailable", Err: err}
	}
	if locked > 0 {
		return nil, s.lockedError(locked)
	}

	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, in.Password)
	if err != nil {
		return nil, fmt.Errorf("user: check password: %w", err)
	}
	if u == nil || u.PasswordHash == "" || !ok {
		return nil, s.failLogin(ctx, lockKey, u, c, "bad_password",
			errs.E(errs.Unauthorized, "invalid email, username or password"))
	}
	if !u.IsActive {
		return nil, errs.E(errs.Forbidden, "this account is disabled").WithCode(CodeDisabled)
	}
	if u.MFAEnabled {
		if strings.TrimSpace(in.MFACode) == "" {
			return nil, errs.E(errs.Unauthorized, "a code from your authenticator app is required").WithCode(CodeMFARequired)
		}
		if err := s.checkTOTP(ctx, u.ID, in.MFACode); err != nil {
			if errs.Is(err, errs.Unauthorized) {
				return nil, s.failLogin(ctx, lockKey, u, c, "bad_mfa_code", err)
			}
			return nil, err
		}
	}
	if err := s.lockout.Reset(ctx, lockKey); err != nil {
		s.logger(ctx).Warn("reset login lockout", "err", err)
	}
	now := s.nowUTC()
	var out *Tokens
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := touchLastLogin(ctx, tx, u.ID, now); err != nil {
			return err
		}
		u.LastLogin = &now
		if err := s.event(ctx, tx, u.ID, "login_succeeded", c, map[string]any{"mfa": u.MFAEnabled}); err != nil {
			return err
		}
		out, err = s.startSession(ctx, tx, u, c, now)
		return err
	})
	return out, err
}

// checkReauth refuses when the account has sent too many wrong passwords or codes
// from a signed-in session lately.
func (s *Service) checkReauth(ctx context.Context, userID string) error {
	d, err := s.lockout.Check(ctx, "reauth:"+userID)
	if err != nil {
		return &errs.Error{Kind: errs.Unavailable, Message: "rate limiter unavailable", Err: err}
	}
	if d > 0 {
		return s.reauthLocked(d)
	}
	return nil
}

// failReauth records a wrong password or code and returns err, or a lockout error
// once there were too many.
func (s *Service) failReauth(ctx context.Context, userID string, err error) error {
	d, lerr := s.lockout.Fail(ctx, "reauth:"+userID)
	if lerr != nil {
		s.logger(ctx).Warn("record failed re-authentication", "err", lerr)
	}
	if d > 0 {
		return s.reauthLocked(d)
	}
	return err
}

func (s *Service) passReauth(ctx context.Context, userID string) {
	if err := s.lockout.Reset(ctx, "reauth:"+userID); err != nil {
		s.logger(ctx).Warn("reset re-authentication lockout", "err", err)
	}
}

func (s *Service) reauthLocked(d time.Duration) error {
	return &errs.Error{Kind: errs.RateLimited, Code: CodeLocked, RetryAfter: d,
		Message: fmt.Sprintf("too many wrong passwords or codes; retry in %s", ceilSeconds(d))}
}

// checkFreshCode checks a TOTP code that confirms a change to MFA itself. A wrong
// code is a 400 about the field (the session is fine) and counts towards the
// re-authentication lockout.
func (s *Service) checkFreshCode(ctx context.Context, userID, code string) error {
	if err := s.checkReauth(ctx, userID); err != nil {
		return err
	}
	err := s.checkTOTP(ctx, userID, code)
	if errs.Is(err, errs.Unauthorized) {
		return s.failReauth(ctx, userID, &errs.Error{Kind: errs.Invalid, Code: CodeBadMFA, Field: "code",
			Message: "the authenticator code is wrong or was already used"})
	}
	if err == nil {
		s.passReauth(ctx, userID)
	}
	return err
}

func (s *Service) lockedError(d time.Duration) error {
	return &errs.Error{Kind: errs.RateLimited, Code: CodeLocked, RetryAfter: d,
		Message: fmt.Sprintf("too many failed sign-ins for this account; retry in %s", ceilSeconds(d))}
}

// failLogin records a failed sign-in against the account and returns err, or a
// lockout error when this failure locks the account.
func (s *Service) failLogin(ctx context.Context, lockKey string, u *User, c Client, reason string, err error) error {
	d, lerr := s.lockout.Fail(ctx, lockKey)
	if lerr != nil {
		s.logger(ctx).Warn("record failed sign-in", "err", lerr)
	}
	if u != nil {
		detail := map[string]any{"reason": reason}
		if d > 0 {
			detail["locked_for_seconds"] = int(d.Seconds())
		}
		if e := s.event(ctx, s.db, u.ID, "login_failed", c, detail); e != nil {
			s.logger(ctx).Warn("audit failed sign-in", "err", e)
		}
	}
	if d > 0 {
		return s.lockedError(d)
	}
	return err
}

// startSession creates a session with its first refresh token and an access token.
func (s *Service) startSession(ctx context.Context, tx querier, u *User, c Client, now time.Time) (*Tokens, error) {
	ua := c.UserAgent
	if len(ua) > 512 {
		ua = ua[:512]
	}
	sess := &session{ID: uuid.NewString(), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.refreshTTL), UserAgent: ua, IP: c.IP}
	if err := insertSession(ctx, tx, sess); err != nil {
		return nil, err
	}
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	if err := insertRefreshToken(ctx, tx, uuid.NewString(), sess.ID, hash, now, sess.ExpiresAt); err != nil {
		return nil, err
	}
	return s.tokensFor(u, sess.ID, refresh, sess.ExpiresAt)
}

func (s *Service) tokensFor(u *User, sessionID, refresh string, refreshExp time.Time) (*Tokens, error) {
	access, exp, err := s.tokens.Issue(u.ID, sessionID, u.Role)
	if err != nil {
		return nil, err
	}
	return &Tokens{
		AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds()), ExpiresAt: exp.UTC(),
		RefreshToken: refresh, RefreshExpiresAt: refreshExp.UTC(), SessionID: sessionID, User: u.Private(),
	}, nil
}

func newRefreshToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = "awr_" + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// Refresh exchanges a refresh token for a new access token and a new refresh token.
// Each refresh token works once; presenting a used one again means it was stolen
// or replayed, so the whole session is revoked.
func (s *Service) Refresh(ctx context.Context, token string, c Client) (*Tokens, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, errs.Field("refresh_token", "refresh_token is required")
	}
	if len(token) > 128 {
		return nil, errs.E(errs.Unauthorized, "invalid refresh token")
	}
	if err := s.allow(ctx, "refresh:ip:"+c.IP, s.limits.RefreshPerIP, "token refresh"); err != nil {
		return nil, err
	}
	invalid := errs.E(errs.Unauthorized, "invalid or expired refresh token")
	now := s.nowUTC()
	row, err := refreshByHash(ctx, s.db, hashToken(token))
	if errs.Is(err, errs.NotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if err := s.allow(ctx, "refresh:session:"+row.Session.ID, s.limits.RefreshPerSession, "token refresh"); err != nil {
		return nil, err
	}
	if row.Session.RevokedAt.Valid || now.After(row.Session.ExpiresAt) || now.After(row.ExpiresAt) {
		return nil, invalid
	}
	if row.UsedAt.Valid {
		return nil, s.reuseDetected(ctx, row, c, now)
	}
	u, err := userByID(ctx, s.db, row.Session.UserID)
	if err != nil {
		return nil, err
	}
	if !u.IsActive {
		return nil, errs.E(errs.Forbidden, "this account is disabled").WithCode(CodeDisabled)
	}
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return nil, err
	}
	newID := uuid.NewString()
	reused := false
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		ok, err := markRefreshUsed(ctx, tx, row.ID, newID, now)
		if err != nil {
			return err
		}
		if !ok {
			reused = true
			return nil
		}
		if err := insertRefreshToken(ctx, tx, newID, row.Session.ID, hash, now, row.Session.ExpiresAt); err != nil {
			return err
		}
		return touchSession(ctx, tx, row.Session.ID, now)
	})
	if err != nil {
		return nil, err
	}
	if reused {
		return nil, s.reuseDetected(ctx, row, c, now)
	}
	return s.tokensFor(u, row.Session.ID, refresh, row.Session.ExpiresAt)
}

func (s *Service) reuseDetected(ctx context.Context, row *refreshRow, c Client, now time.Time) error {
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := revokeSession(ctx, tx, row.Session.ID, "refresh_token_reused", now); err != nil {
			return err
		}
		return s.event(ctx, tx, row.Session.UserID, "refresh_token_reused", c, map[string]any{"session_id": row.Session.ID})
	})
	if err != nil {
		return err
	}
	if err := s.revoked.Revoke(ctx, row.Session.ID, s.tokens.TTL()); err != nil {
		return &errs.Error{Kind: errs.Unavailable, Message: "could not revoke the session", Err: err}
	}
	s.logger(ctx).Warn("refresh token reuse; session revoked", "session_id", row.Session.ID, "user_id", row.Session.UserID)
	return errs.E(errs.Unauthorized, "this refresh token was already used; the session has been revoked, sign in again").WithCode(CodeTokenReuse)
}

// Logout revokes the caller's session (or all their sessions) so that its refresh
// token and access tokens stop working. It returns how many sessions it revoked.
func (s *Service) Logout(ctx context.Context, p auth.Principal, all bool, c Client) (int, error) {
	if p.SessionID == "" && !all {
		return 0, errs.E(errs.Invalid, "this sign-in is managed by single sign-on; sign out there")
	}
	now := s.nowUTC()
	var ids []string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if all {
			var err error
			if ids, err = revokeUserSessions(ctx, tx, p.UserID, "", "logout_all", now); err != nil {
				return err
			}
		} else {
			if err := revokeSession(ctx, tx, p.SessionID, "logout", now); err != nil {
				return err
			}
			ids = []string{p.SessionID}
		}
		return s.event(ctx, tx, p.UserID, "logout", c, map[string]any{"all": all, "sessions": len(ids)})
	})
	if err != nil {
		return 0, err
	}
	return len(ids), s.revokeCached(ctx, ids)
}

func (s *Service) revokeCached(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := s.revoked.Revoke(ctx, id, s.tokens.TTL()); err != nil {
			return &errs.Error{Kind: errs.Unavailable, Message: "could not revoke the session", Err: err}
		}
	}
	return nil
}

// Sessions lists the caller's live sessions.
func (s *Service) Sessions(ctx context.Context, p auth.Principal) ([]SessionView, error) {
	list, err := listSessions(ctx, s.db, p.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := []SessionView{}
	for _, x := range list {
		if now.After(x.ExpiresAt) {
			continue
		}
		out = append(out, SessionView{ID: x.ID, CreatedAt: x.CreatedAt.UTC(), LastUsedAt: x.LastUsedAt.UTC(),
			ExpiresAt: x.ExpiresAt.UTC(), UserAgent: x.UserAgent, IP: x.IP, Current: x.ID == p.SessionID})
	}
	return out, nil
}

// Events lists the caller's most recent security events.
func (s *Service) Events(ctx context.Context, p auth.Principal, limit int) ([]Event, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return listEvents(ctx, s.db, p.UserID, limit)
}

func (s *Service) event(ctx context.Context, q querier, userID, name string, c Client, detail map[string]any) error {
	return insertEvent(ctx, q, uuid.NewString(), userID, name, c.IP, c.UserAgent, detail, s.nowUTC())
}

// totpOpts are the parameters every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// checkTOTP accepts a code of the current, previous or next 30-second step that is
// newer than the last code used, so a code cannot be replayed.
func (s *Service) checkTOTP(ctx context.Context, userID, code string) error {
	bad := errs.E(errs.Unauthorized, "the authenticator code is wrong or was already used").WithCode(CodeBadMFA)
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return bad
	}
	m, err := getMFA(ctx, s.db, userID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Conflict, "multi-factor authentication is not set up; enroll first")
		}
		return err
	}
	now := s.now()
	step := now.Unix() / int64(totpOpts.Period)
	for _, d := range []int64{0, -1, 1} {
		st := step + d
		want, err := totp.GenerateCodeCustom(m.Secret, time.Unix(st*int64(totpOpts.Period), 0), totpOpts)
		if err != nil {
			return fmt.Errorf("user: totp: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			fresh, err := useMFAStep(ctx, s.db, userID, st)
			if err != nil {
				return err
			}
			if !fresh {
				return bad
			}
			return nil
		}
	}
	return bad
}

// Enrollment is a new TOTP secret waiting for its first code.
type Enrollment struct {
	Secret     string `json:"secret"`
	OTPAuthURI string `json:"otpauth_uri"`
}

// EnrollMFA creates a TOTP secret for the caller; MFA is on once ConfirmMFA accepts
// a code from it.
func (s *Service) EnrollMFA(ctx context.Context, p auth.Principal, c Client) (*Enrollment, error) {
	u, err := userByID(ctx, s.db, p.UserID)
	if err != nil {
		return nil, err
	}
	if u.MFAEnabled {
		return nil, errs.E(errs.Conflict, "multi-factor authentication is already on; disable it first to enroll a new device")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "AuthorWorks", AccountName: u.Email, Period: 30,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return nil, fmt.Errorf("user: generate totp: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := putPendingMFA(ctx, tx, u.ID, key.Secret(), s.nowUTC()); err != nil {
			return err
		}
		return s.event(ctx, tx, u.ID, "mfa_enrollment_started", c, nil)
	})
	if err != nil {
		return nil, err
	}
	return &Enrollment{Secret: key.Secret(), OTPAuthURI: key.URL()}, nil
}

// ConfirmMFA turns MFA on when code matches the pending secret.
func (s *Service) ConfirmMFA(ctx context.Context, p auth.Principal, code string, c Client) error {
	m, err := getMFA(ctx, s.db, p.UserID)
	if errs.Is(err, errs.NotFound) {
		return errs.E(errs.Conflict, "no enrollment is pending; call /api/auth/mfa/enroll first")
	}
	if err != nil {
		return err
	}
	if m.Enabled {
		return errs.E(errs.Conflict, "multi-factor authentication is already on")
	}
	if err := s.checkFreshCode(ctx, p.UserID, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := enableMFA(ctx, tx, p.UserID, s.nowUTC()); err != nil {
			return err
		}
		return s.event(ctx, tx, p.UserID, "mfa_enabled", c, nil)
	})
}

// DisableMFA turns MFA off; it needs a fresh code so a stolen access token alone
// cannot remove the second factor.
func (s *Service) DisableMFA(ctx context.Context, p auth.Principal, code string, c Client) error {
	m, err := getMFA(ctx, s.db, p.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Enabled) {
		return errs.E(errs.Conflict, "multi-factor authentication is not on")
	}
	if err != nil {
		return err
	}
	if err := s.checkFreshCode(ctx, p.UserID, code); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := deleteMFA(ctx, tx, p.UserID); err != nil {
			return err
		}
		return s.event(ctx, tx, p.UserID, "mfa_disabled", c, nil)
	})
}

// PurgeSessions deletes sessions that expired a day ago or were revoked a week ago,
// so the session tables do not grow without bound. Revoked sessions are kept a while
// so that a replayed refresh token is still recognised as reuse. It is safe to run
// on several nodes at once.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.nowUTC()
	return purgeSessions(ctx, s.db, now.Add(-24*time.Hour), now.Add(-7*24*time.Hour))
}
