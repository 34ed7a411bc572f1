package user

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Page is one page of a list with a cursor to the next one.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// ListUsers pages through all accounts, newest first, for admins. query, when set,
// matches a part of the email or username.
func (s *Service) ListUsers(ctx context.Context, query, cursor string, limit int) (*Page[PrivateView], error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	where, args := []string{}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if query = strings.TrimSpace(strings.ToLower(query)); query != "" {
		if len(query) > 254 {
			return nil, errs.Field("q", "q is longer than 254 characters")
		}
		pat := arg("%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(query) + "%")
		where = append(where, "(u.email LIKE "+pat+` ESCAPE '\' OR lower(u.username) LIKE `+pat+` ESCAPE '\')`)
	}
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		t, i := arg(at), arg(id)
		where = append(where, "(u.created_at < "+t+" OR (u.created_at = "+t+" AND u.id < "+i+"))")
	}
	q := userSelect
	if len(where) > 0 {
		q += "WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY u.created_at DESC, u.id DESC LIMIT " + arg(limit+1)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("user: list: %w", err)
	}
	defer rows.Close()
	page := &Page[PrivateView]{Items: []PrivateView{}}
	var last *User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		if len(page.Items) == limit {
			c := encodeCursor(last.CreatedAt, last.ID)
			page.NextCursor = &c
			break
		}
		page.Items = append(page.Items, u.Private())
		last = u
	}
	return page, rows.Err()
}

func encodeCursor(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(t.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	bad := errs.Field("cursor", "cursor is not one this server gave out")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	t, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || len(id) != 36 {
		return time.Time{}, "", bad
	}
	return t.UTC(), id, nil
}

// AdminUpdate is what an admin may change on an account.
type AdminUpdate struct {
	Role     *string `json:"role"`
	IsActive *bool   `json:"is_active"`
}

// UpdateByAdmin changes another account's role or switches it off. Switching an
// account off ends all its sessions at once. Admins cannot change their own account
// this way, so the last admin cannot lock everyone out by mistake.
func (s *Service) UpdateByAdmin(ctx context.Context, p auth.Principal, id string, in AdminUpdate, c Client) (*User, error) {
	if id == p.UserID {
		return nil, errs.E(errs.Forbidden, "admins cannot change their own role or status; ask another admin")
	}
	if in.Role != nil && *in.Role != auth.RoleUser && *in.Role != auth.RoleAdmin {
		return nil, errs.Field("role", "role must be %q or %q", auth.RoleUser, auth.RoleAdmin)
	}
	var (
		out *User
		ids []string
	)
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		detail := map[string]any{"by": p.UserID}
		now := s.nowUTC()
		if in.Role != nil && *in.Role != u.Role {
			detail["role"] = *in.Role
			demoted := u.Role == auth.RoleAdmin
			u.Role = *in.Role
			if demoted {
				// Access tokens carry the role: end the sessions so the old role dies with them.
				if ids, err = revokeUserSessions(ctx, tx, u.ID, "", "role_changed", now); err != nil {
					return err
				}
			}
		}
		if in.IsActive != nil && *in.IsActive != u.IsActive {
			detail["is_active"] = *in.IsActive
			u.IsActive = *in.IsActive
			if !u.IsActive {
				more, err := revokeUserSessions(ctx, tx, u.ID, "", "account_disabled", now)
				if err != nil {
					return err
				}
				ids = append(ids, more...)
			}
		}
		out = u
		if len(detail) == 1 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, is_active = $2, updated_at = $3, version = version + 1 WHERE id = $4`,
			u.Role, u.IsActive, now, u.ID); err != nil {
			return fmt.Errorf("user: admin update: %w", err)
		}
		u.Version++
		u.UpdatedAt = now
		return s.event(ctx, tx, u.ID, "account_changed_by_admin", c, detail)
	})
	if err != nil {
		return nil, err
	}
	return out, s.revokeCached(ctx, ids)
}

// SetRole gives the account with this email or username a role. It is for the
// command line, to appoint the first admin. Taking the admin role away ends the
// account's sessions in the database; with Redis, access tokens already issued keep
// the old role until they expire (ACCESS_TOKEN_TTL), so demote through the admin API
// when that matters.
func SetRole(ctx context.Context, db *sqldb.DB, login, role string, now time.Time) (*User, error) {
	if role != auth.RoleUser && role != auth.RoleAdmin {
		return nil, fmt.Errorf("role must be %q or %q", auth.RoleUser, auth.RoleAdmin)
	}
	u, err := userByEmail(ctx, db, login)
	if errs.Is(err, errs.NotFound) {
		u, err = userByUsername(ctx, db, login)
	}
	if err != nil {
		return nil, fmt.Errorf("find %q: %w", login, err)
	}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, updated_at = $2, version = version + 1 WHERE id = $3`, role, now, u.ID); err != nil {
			return err
		}
		if u.Role == auth.RoleAdmin && role != auth.RoleAdmin {
			if _, err := revokeUserSessions(ctx, tx, u.ID, "", "role_changed", now); err != nil {
				return err
			}
		}
		return insertEvent(ctx, tx, uuid.NewString(), u.ID, "role_set_from_command_line", "", "", map[string]any{"role": role}, now)
	})
	if err != nil {
		return nil, err
	}
	u.Role = role
	return u, nil
}
