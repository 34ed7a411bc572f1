package content

import (
	"github.com/authorworks/authorworks/internal/errs"
)

// Role is what a caller may do with a story. Higher roles include the lower ones.
type Role int

// The roles, weakest first.
const (
	RoleNone   Role = iota // may not know the story exists
	RoleReader             // may read the published parts of a public or unlisted story
	RoleViewer             // collaborator who reads everything
	RoleEditor             // collaborator who writes content
	RoleOwner              // manages the story, its collaborators, publishing, deletion
)

func (r Role) String() string {
	switch r {
	case RoleReader:
		return "reader"
	case RoleViewer:
		return "viewer"
	case RoleEditor:
		return "editor"
	case RoleOwner:
		return "owner"
	}
	return "none"
}

// parseCollabRole maps a collaborations.role value to a Role.
func parseCollabRole(s string) Role {
	switch s {
	case "owner":
		return RoleOwner
	case "editor":
		return RoleEditor
	case "viewer":
		return RoleViewer
	}
	return RoleNone
}

// errNotFound is the answer to anyone who may not know a story exists.
func errNotFound() error { return errs.E(errs.NotFound, "story not found") }

// need checks that role is at least min. Below reader the story does not exist for
// the caller; above it, a missing right is 403.
func need(role, min Role, action string) error {
	if role >= min {
		return nil
	}
	if role < RoleReader {
		return errNotFound()
	}
	return errs.E(errs.Forbidden, "your role on this story (%s) does not allow you to %s", role, action)
}
