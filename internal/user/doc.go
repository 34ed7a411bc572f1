// Package user is the User service: accounts, password and TOTP sign-in, sessions
// with rotating refresh tokens, profiles, single sign-on through a trusted proxy, and
// the audit trail of security events. It owns the users, auth_sessions,
// refresh_tokens, user_mfa and security_events tables.
package user
