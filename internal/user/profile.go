package user

import (
	"context"
	"database/sql"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
)

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context, p auth.Principal) (*User, error) {
	u, err := userByID(ctx, s.db, p.UserID)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.Unauthorized, "the account of this token no longer exists")
	}
	return u, err
}

// Get returns a user by id.
func (s *Service) Get(ctx context.Context, id string) (*User, error) {
	return userByID(ctx, s.db, id)
}

// ProfileUpdate changes the caller's profile. Absent fields stay as they are.
// Changing the email needs the current password.
type ProfileUpdate struct {
	Version         *int     `json:"version"`
	DisplayName     *string  `json:"display_name"`
	Username        *string  `json:"username"`
	Email           *string  `json:"email"`
	CurrentPassword string   `json:"current_password"`
	Profile         *Profile `json:"profile"`
}

// UpdateProfile applies in to the caller's account. ifMatch, when not 0, is the
// version the client last saw (from the body's version or the If-Match header); a
// stale version is a conflict, so concurrent edits never overwrite each other.
func (s *Service) UpdateProfile(ctx context.Context, p auth.Principal, in ProfileUpdate, ifMatch int, c Client) (*User, error) {
	expected := ifMatch
	if in.Version != nil && *in.Version < 1 {
		return nil, errs.Field("version", "version must be the positive version you read (GET /api/auth/profile)")
	}
	if in.Version != nil {
		if ifMatch != 0 && *in.Version != ifMatch {
			return nil, errs.Field("version", "version %d disagrees with If-Match %d", *in.Version, ifMatch)
		}
		expected = *in.Version
	}
	var out *User
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		if expected == 0 {
			expected = u.Version
		}
		if expected != u.Version {
			return &errs.Error{Kind: errs.Conflict, Code: CodeVersionConflict,
				Message: "the profile was changed since you read it; reload and try again"}
		}
		var changed []string
		if in.DisplayName != nil {
			d, err := validateText("display_name", *in.DisplayName, maxDisplay)
			if err != nil {
				return err
			}
			if d == "" {
				return errs.Field("display_name", "display_name cannot be empty")
			}
			u.DisplayName = d
			changed = append(changed, "display_name")
		}
		if in.Username != nil {
			name := strings.TrimSpace(*in.Username)
			if err := ValidateUsername(name); err != nil {
				return err
			}
			if !strings.EqualFold(name, u.Username) {
				if _, err := userByUsername(ctx, tx, name); err == nil {
					return &errs.Error{Kind: errs.Conflict, Field: "username", Message: "this username is taken"}
				}
			}
			u.Username = name
			changed = append(changed, "username")
		}
		if in.Email != nil {
			email, err := NormalizeEmail("email", *in.Email)
			if err != nil {
				return err
			}
			if email != u.Email {
				if err := s.checkCurrentPassword(ctx, u, in.CurrentPassword); err != nil {
					return err
				}
				u.Email = email
				changed = append(changed, "email")
			}
		}
		if in.Profile != nil {
			prof, err := in.Profile.Validate()
			if err != nil {
				return err
			}
			u.Profile = prof
			changed = append(changed, "profile")
		}
		if len(changed) == 0 {
			out = u // nothing to change: no new version, no conflict for other clients
			return nil
		}
		u.UpdatedAt = s.nowUTC()
		if err := updateUser(ctx, tx, u, expected); err != nil {
			return err
		}
		if contains(changed, "email") || contains(changed, "username") {
			if err := s.event(ctx, tx, u.ID, "account_identity_changed", c, map[string]any{"fields": changed}); err != nil {
				return err
			}
		}
		out = u
		return nil
	})
	return out, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkCurrentPassword re-authenticates a signed-in user before a sensitive change.
// Wrong guesses count towards the account's re-authentication lockout, so a stolen
// access token cannot be used to guess the password.
func (s *Service) checkCurrentPassword(ctx context.Context, u *User, pw string) error {
	if u.PasswordHash == "" {
		return errs.E(errs.Forbidden, "this account signs in through single sign-on and has no password")
	}
	if pw == "" {
		return errs.Field("current_password", "current_password is required for this change")
	}
	if err := s.checkReauth(ctx, u.ID); err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, pw)
	if err != nil {
		return err
	}
	if !ok {
		return s.failReauth(ctx, u.ID, &errs.Error{Kind: errs.Forbidden, Field: "current_password", Message: "current_password is wrong"})
	}
	s.passReauth(ctx, u.ID)
	return nil
}

// PasswordChange replaces the caller's password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// ChangePassword sets a new password and signs out every other session.
func (s *Service) ChangePassword(ctx context.Context, p auth.Principal, in PasswordChange, c Client) error {
	if err := ValidatePassword("new_password", in.NewPassword); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, in.NewPassword)
	if err != nil {
		return err
	}
	var ids []string
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		if err := s.checkCurrentPassword(ctx, u, in.CurrentPassword); err != nil {
			return err
		}
		u.PasswordHash = hash
		u.UpdatedAt = s.nowUTC()
		if err := updateUser(ctx, tx, u, u.Version); err != nil {
			return err
		}
		if ids, err = revokeUserSessions(ctx, tx, u.ID, p.SessionID, "password_changed", u.UpdatedAt); err != nil {
			return err
		}
		return s.event(ctx, tx, u.ID, "password_changed", c, map[string]any{"sessions_revoked": len(ids)})
	})
	if err != nil {
		return err
	}
	return s.revokeCached(ctx, ids)
}
