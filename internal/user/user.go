package user

import (
	"encoding/json"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/errs"
)

// Subscription tiers and statuses a user can have; the subscription service sets them.
const (
	TierFree      = "free"
	StatusActive  = "active"
	minPassword   = 10
	maxPassword   = 256
	maxDisplay    = 100
	maxBio        = 2000
	maxURL        = 500
	maxShortField = 100
)

// User is an account.
type User struct {
	ID                 string
	Email              string
	Username           string
	DisplayName        string
	PasswordHash       string // empty for accounts that only sign in through SSO
	SSOSubject         string // the proxy's Remote-User for SSO accounts
	Role               string
	SubscriptionTier   string
	SubscriptionStatus string
	IsActive           bool
	Profile            Profile
	MFAEnabled         bool
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
	LastLogin          *time.Time
}

// Profile is the public, user-editable part of an account (the profile_data column).
type Profile struct {
	Bio       string `json:"bio,omitempty"`
	AvatarURL string `json:"avatar_url,omitempty"`
	Website   string `json:"website,omitempty"`
	Location  string `json:"location,omitempty"`
	Pronouns  string `json:"pronouns,omitempty"`
}

// PrivateView is what a user sees of their own account (and an admin of anyone's).
type PrivateView struct {
	ID                 string     `json:"id"`
	Email              string     `json:"email"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Role               string     `json:"role"`
	SubscriptionTier   string     `json:"subscription_tier"`
	SubscriptionStatus string     `json:"subscription_status"`
	IsActive           bool       `json:"is_active"`
	MFAEnabled         bool       `json:"mfa_enabled"`
	Profile            Profile    `json:"profile"`
	Version            int        `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	LastLogin          *time.Time `json:"last_login"`
}

// PublicView is what other users see of an account.
type PublicView struct {
	ID          string    `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Profile     Profile   `json:"profile"`
	CreatedAt   time.Time `json:"created_at"`
}

// Private returns the owner's view of u.
func (u *User) Private() PrivateView {
	return PrivateView{
		ID: u.ID, Email: u.Email, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		SubscriptionTier: u.SubscriptionTier, SubscriptionStatus: u.SubscriptionStatus,
		IsActive: u.IsActive, MFAEnabled: u.MFAEnabled, Profile: u.Profile, Version: u.Version,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, LastLogin: u.LastLogin,
	}
}

// Public returns the view of u that any signed-in user may see.
func (u *User) Public() PublicView {
	return PublicView{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Profile: u.Profile, CreatedAt: u.CreatedAt}
}

var usernameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,31}$`)

// NormalizeEmail checks an email address and returns it lower-cased.
func NormalizeEmail(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errs.Field(field, "%s is required", field)
	}
	if len(s) > 254 {
		return "", errs.Field(field, "%s is longer than 254 characters", field)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return "", errs.Field(field, "%s is not a valid email address", field)
	}
	return strings.ToLower(s), nil
}

// ValidateUsername checks a username: 2–32 letters, digits, '.', '_' or '-', starting
// with a letter or digit.
func ValidateUsername(s string) error {
	if s == "" {
		return errs.Field("username", "username is required")
	}
	if !usernameRE.MatchString(s) {
		return errs.Field("username", "username must be 2-32 characters of letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}

// ValidatePassword checks a new password's length; breadth of characters is the
// user's choice (NIST SP 800-63B).
func ValidatePassword(field, s string) error {
	n := utf8.RuneCountInString(s)
	if n < minPassword {
		return errs.Field(field, "%s must be at least %d characters", field, minPassword)
	}
	if len(s) > maxPassword {
		return errs.Field(field, "%s must be at most %d bytes", field, maxPassword)
	}
	return nil
}

func validateText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", errs.Field(field, "%s is not valid UTF-8", field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", errs.Field(field, "%s is longer than %d characters", field, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", errs.Field(field, "%s contains control characters", field)
		}
	}
	return s, nil
}

func validateURL(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > maxURL {
		return "", errs.Field(field, "%s is longer than %d characters", field, maxURL)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errs.Field(field, "%s must be an http or https URL", field)
	}
	return u.String(), nil
}

// Validate checks and normalises a profile.
func (p Profile) Validate() (Profile, error) {
	var err error
	out := Profile{}
	if out.Bio, err = validateText("profile.bio", p.Bio, maxBio); err != nil {
		return out, err
	}
	if out.Location, err = validateText("profile.location", p.Location, maxShortField); err != nil {
		return out, err
	}
	if out.Pronouns, err = validateText("profile.pronouns", p.Pronouns, maxShortField); err != nil {
		return out, err
	}
	if out.AvatarURL, err = validateURL("profile.avatar_url", p.AvatarURL); err != nil {
		return out, err
	}
	if out.Website, err = validateURL("profile.website", p.Website); err != nil {
		return out, err
	}
	return out, nil
}

func (p Profile) marshal() string {
	b, _ := json.Marshal(p) //nolint:errchkjson // plain strings always marshal
	return string(b)
}
