package user

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const userSelect = `SELECT u.id, u.email, u.username, COALESCE(u.display_name, ''), COALESCE(u.password_hash, ''),
	u.role, u.subscription_tier, u.subscription_status, u.is_active, u.profile_data, u.version,
	u.created_at, u.updated_at, u.last_login, COALESCE(m.enabled, false)
FROM users u LEFT JOIN user_mfa m ON m.user_id = u.id `

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var (
		u       User
		profile []byte
		last    sql.NullTime
	)
	err := row.Scan(&u.ID, &u.Email, &u.Username, &u.DisplayName, &u.PasswordHash, &u.Role,
		&u.SubscriptionTier, &u.SubscriptionStatus, &u.IsActive, &profile, &u.Version,
		&u.CreatedAt, &u.UpdatedAt, &last, &u.MFAEnabled)
	if err != nil {
		return nil, err
	}
	if len(profile) > 0 {
		if err := json.Unmarshal(profile, &u.Profile); err != nil {
			return nil, fmt.Errorf("user %s: decode profile_data: %w", u.ID, err)
		}
	}
	if last.Valid {
		t := last.Time.UTC()
		u.LastLogin = &t
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

func getUser(ctx context.Context, q querier, where string, arg any) (*User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, userSelect+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "user not found")
	}
	if err != nil {
		return nil, fmt.Errorf("user: query: %w", err)
	}
	return u, nil
}

func userByID(ctx context.Context, q querier, id string) (*User, error) {
	return getUser(ctx, q, `WHERE u.id = $1`, id)
}

func userByEmail(ctx context.Context, q querier, email string) (*User, error) {
	return getUser(ctx, q, `WHERE u.email = $1`, strings.ToLower(email))
}

func userBySSOSubject(ctx context.Context, q querier, subject string) (*User, error) {
	return getUser(ctx, q, `WHERE u.sso_subject = $1`, subject)
}

func userByUsername(ctx context.Context, q querier, name string) (*User, error) {
	return getUser(ctx, q, `WHERE lower(u.username) = lower($1)`, name)
}

// takenError turns a unique violation on users into a Conflict naming the field.
func takenError(err error) error {
	desc, ok := sqldb.IsUniqueViolation(err)
	if !ok {
		return err
	}
	switch {
	case strings.Contains(desc, "sso_subject"):
		return &errs.Error{Kind: errs.Conflict, Field: "sso_subject", Message: "this single sign-on user already has an account"}
	case strings.Contains(desc, "email"):
		return &errs.Error{Kind: errs.Conflict, Field: "email", Message: "an account with this email already exists"}
	case strings.Contains(desc, "username"):
		return &errs.Error{Kind: errs.Conflict, Field: "username", Message: "this username is taken"}
	}
	return &errs.Error{Kind: errs.Conflict, Message: "account already exists", Err: err}
}

func insertUser(ctx context.Context, q querier, u *User) error {
	_, err := q.ExecContext(ctx, `INSERT INTO users (id, email, username, display_name, password_hash, role,
		subscription_tier, subscription_status, is_active, profile_data, version, created_at, updated_at, sso_subject)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12)`,
		u.ID, u.Email, u.Username, u.DisplayName, nullIfEmpty(u.PasswordHash), u.Role,
		u.SubscriptionTier, u.SubscriptionStatus, u.IsActive, u.Profile.marshal(), u.CreatedAt, nullIfEmpty(u.SSOSubject))
	if err != nil {
		return takenError(fmt.Errorf("user: insert: %w", err))
	}
	return nil
}

// updateUser writes u's editable fields if the stored version is still expected;
// it bumps the version.
func updateUser(ctx context.Context, q querier, u *User, expected int) error {
	res, err := q.ExecContext(ctx, `UPDATE users SET email = $1, username = $2, display_name = $3,
		password_hash = $4, profile_data = $5, updated_at = $6, version = version + 1
	WHERE id = $7 AND version = $8`,
		u.Email, u.Username, u.DisplayName, nullIfEmpty(u.PasswordHash), u.Profile.marshal(), u.UpdatedAt, u.ID, expected)
	if err != nil {
		return takenError(fmt.Errorf("user: update: %w", err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &errs.Error{Kind: errs.Conflict, Code: CodeVersionConflict,
			Message: "the profile was changed since you read it; reload and try again"}
	}
	u.Version = expected + 1
	return nil
}

func touchLastLogin(ctx context.Context, q querier, id string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET last_login = $1 WHERE id = $2`, now, id)
	return err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// session is a signed-in device: one login and the chain of refresh tokens it rotates through.
type session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  sql.NullTime
	UserAgent  string
	IP         string
	LastUsedAt time.Time
}

func insertSession(ctx context.Context, q querier, s *session) error {
	_, err := q.ExecContext(ctx, `INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
	VALUES ($1, $2, $3, $3, $4, $5, $6)`, s.ID, s.UserID, s.CreatedAt, s.ExpiresAt, s.UserAgent, s.IP)
	if err != nil {
		return fmt.Errorf("user: insert session: %w", err)
	}
	return nil
}

func insertRefreshToken(ctx context.Context, q querier, id, sessionID, hash string, now, exp time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO refresh_tokens (id, session_id, token_hash, created_at, expires_at)
	VALUES ($1, $2, $3, $4, $5)`, id, sessionID, hash, now, exp)
	if err != nil {
		return fmt.Errorf("user: insert refresh token: %w", err)
	}
	return nil
}

type refreshRow struct {
	ID        string
	ExpiresAt time.Time
	UsedAt    sql.NullTime
	Session   session
}

func refreshByHash(ctx context.Context, q querier, hash string) (*refreshRow, error) {
	var r refreshRow
	err := q.QueryRowContext(ctx, `SELECT t.id, t.expires_at, t.used_at, s.id, s.user_id, s.expires_at, s.revoked_at
	FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = $1`, hash).
		Scan(&r.ID, &r.ExpiresAt, &r.UsedAt, &r.Session.ID, &r.Session.UserID, &r.Session.ExpiresAt, &r.Session.RevokedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "refresh token not found")
	}
	if err != nil {
		return nil, fmt.Errorf("user: find refresh token: %w", err)
	}
	return &r, nil
}

// markRefreshUsed consumes a refresh token; it reports false when another request
// consumed it first.
func markRefreshUsed(ctx context.Context, q querier, id, replacedBy string, now time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE refresh_tokens SET used_at = $1, replaced_by = $2 WHERE id = $3 AND used_at IS NULL`,
		now, replacedBy, id)
	if err != nil {
		return false, fmt.Errorf("user: consume refresh token: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func touchSession(ctx context.Context, q querier, id string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE auth_sessions SET last_used_at = $1 WHERE id = $2`, now, id)
	return err
}

func revokeSession(ctx context.Context, q querier, id, reason string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE auth_sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL`,
		now, reason, id)
	if err != nil {
		return fmt.Errorf("user: revoke session: %w", err)
	}
	return nil
}

// revokeUserSessions revokes every live session of a user except keep, and returns their ids.
func revokeUserSessions(ctx context.Context, q querier, userID, keep, reason string, now time.Time) ([]string, error) {
	query, args := `SELECT id FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL`, []any{userID}
	if keep != "" {
		query, args = query+` AND id <> $2`, append(args, keep)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("user: list sessions: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := revokeSession(ctx, q, id, reason, now); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func sessionRevoked(ctx context.Context, q querier, id string) (bool, error) {
	var revoked sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT revoked_at FROM auth_sessions WHERE id = $1`, id).Scan(&revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("user: check session: %w", err)
	}
	return revoked.Valid, nil
}

// SessionView is what a user sees of one of their sessions.
type SessionView struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	UserAgent  string    `json:"user_agent"`
	IP         string    `json:"ip"`
	Current    bool      `json:"current"`
}

func listSessions(ctx context.Context, q querier, userID string) ([]session, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, created_at, last_used_at, expires_at, user_agent, ip FROM auth_sessions
	WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("user: list sessions: %w", err)
	}
	defer rows.Close()
	var out []session
	for rows.Next() {
		var s session
		if err := rows.Scan(&s.ID, &s.CreatedAt, &s.LastUsedAt, &s.ExpiresAt, &s.UserAgent, &s.IP); err != nil {
			return nil, err
		}
		s.UserID = userID
		out = append(out, s)
	}
	return out, rows.Err()
}

type mfaRow struct {
	Secret   string
	Enabled  bool
	LastStep int64
}

func getMFA(ctx context.Context, q querier, userID string) (*mfaRow, error) {
	var m mfaRow
	err := q.QueryRowContext(ctx, `SELECT secret, enabled, last_used_step FROM user_mfa WHERE user_id = $1`, userID).
		Scan(&m.Secret, &m.Enabled, &m.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "multi-factor authentication is not set up")
	}
	if err != nil {
		return nil, fmt.Errorf("user: read mfa: %w", err)
	}
	return &m, nil
}

func putPendingMFA(ctx context.Context, q querier, userID, secret string, now time.Time) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM user_mfa WHERE user_id = $1 AND enabled = false`, userID); err != nil {
		return fmt.Errorf("user: reset mfa: %w", err)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO user_mfa (user_id, secret, enabled, last_used_step, created_at) VALUES ($1, $2, false, 0, $3)`,
		userID, secret, now)
	if err != nil {
		return fmt.Errorf("user: store mfa secret: %w", err)
	}
	return nil
}

// useMFAStep records that the TOTP step was used; false means it (or a later one) was
// used already, so the code is a replay.
func useMFAStep(ctx context.Context, q querier, userID string, step int64) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE user_mfa SET last_used_step = $1 WHERE user_id = $2 AND last_used_step < $1`, step, userID)
	if err != nil {
		return false, fmt.Errorf("user: record mfa step: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func enableMFA(ctx context.Context, q querier, userID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE user_mfa SET enabled = true, confirmed_at = $1 WHERE user_id = $2`, now, userID)
	return err
}

func deleteMFA(ctx context.Context, q querier, userID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM user_mfa WHERE user_id = $1`, userID)
	return err
}

func insertEvent(ctx context.Context, q querier, id string, userID, event, ip, ua string, detail map[string]any, now time.Time) error {
	if detail == nil {
		detail = map[string]any{}
	}
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	if len(ua) > 512 {
		ua = ua[:512]
	}
	_, err = q.ExecContext(ctx, `INSERT INTO security_events (id, user_id, event, ip, user_agent, detail, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, nullIfEmpty(userID), event, ip, ua, string(d), now)
	if err != nil {
		return fmt.Errorf("user: record security event: %w", err)
	}
	return nil
}

// Event is one entry of a user's security audit trail.
type Event struct {
	ID        string          `json:"id"`
	Event     string          `json:"event"`
	IP        string          `json:"ip"`
	UserAgent string          `json:"user_agent"`
	Detail    json.RawMessage `json:"detail"`
	CreatedAt time.Time       `json:"created_at"`
}

func listEvents(ctx context.Context, q querier, userID string, limit int) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, event, ip, user_agent, detail, created_at FROM security_events
	WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("user: list events: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var d []byte
		if err := rows.Scan(&e.ID, &e.Event, &e.IP, &e.UserAgent, &d, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.Detail = json.RawMessage(d)
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// purgeSessions deletes sessions that expired before expiredBefore or were revoked
// before revokedBefore; their refresh tokens go with them (ON DELETE CASCADE).
func purgeSessions(ctx context.Context, q querier, expiredBefore, revokedBefore time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $2`, expiredBefore, revokedBefore)
	if err != nil {
		return 0, fmt.Errorf("user: purge sessions: %w", err)
	}
	return res.RowsAffected()
}
