package content

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/httpapi"
	"github.com/authorworks/authorworks/internal/outbox"
	"github.com/authorworks/authorworks/internal/sqldb"
)

// Collaborator is a user's role on a story.
type Collaborator struct {
	UserID      string    `json:"user_id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	InvitedBy   *string   `json:"invited_by"`
	CreatedAt   time.Time `json:"created_at"`
}

var collabRoles = []string{"owner", "editor", "viewer"}

func listCollaborators(ctx context.Context, q querier, storyID string) ([]Collaborator, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id, role, invited_by, created_at FROM collaborations
	WHERE book_id = $1 ORDER BY created_at, user_id`, storyID)
	if err != nil {
		return nil, fmt.Errorf("content: list collaborators: %w", err)
	}
	defer rows.Close()
	out := []Collaborator{}
	for rows.Next() {
		var (
			c  Collaborator
			by sql.NullString
		)
		if err := rows.Scan(&c.UserID, &c.Role, &by, &c.CreatedAt); err != nil {
			return nil, err
		}
		if by.Valid {
			c.InvitedBy = &by.String
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

func countOwners(ctx context.Context, q querier, storyID string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM collaborations WHERE book_id = $1 AND role = 'owner'`, storyID).Scan(&n)
	return n, err
}

func collaboratorRole(ctx context.Context, q querier, storyID, userID string) (string, error) {
	var role string
	err := q.QueryRowContext(ctx, `SELECT role FROM collaborations WHERE book_id = $1 AND user_id = $2`, storyID, userID).Scan(&role)
	if err == sql.ErrNoRows { //nolint:errorlint // Scan returns the sentinel itself
		return "", errs.E(errs.NotFound, "that user is not a collaborator on this story")
	}
	return role, err
}

// Collaborators lists the story's collaborators (to any collaborator).
func (s *Service) Collaborators(ctx context.Context, p auth.Principal, storyID string) ([]Collaborator, error) {
	_, role, err := storyFor(ctx, s.db, storyID, p.UserID)
	if err != nil {
		return nil, err
	}
	if role < RoleViewer {
		// Like the bible and the history, the team is private: readers are told it
		// does not exist.
		return nil, errNotFound()
	}
	list, err := listCollaborators(ctx, s.db, storyID)
	if err != nil {
		return nil, err
	}
	return s.named(ctx, list)
}

func (s *Service) named(ctx context.Context, list []Collaborator) ([]Collaborator, error) {
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.UserID
	}
	names, err := s.users.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		n := names[list[i].UserID]
		list[i].Username, list[i].DisplayName = n.Username, n.DisplayName
	}
	return list, nil
}

// CollaboratorInput invites a user (by username or email) with a role, or changes a role.
type CollaboratorInput struct {
	User string `json:"user"`
	Role string `json:"role"`
}

// AddCollaborator gives a user a role on the story (owners only).
func (s *Service) AddCollaborator(ctx context.Context, p auth.Principal, storyID string, in CollaboratorInput) (*Collaborator, error) {
	if err := oneOf("role", in.Role, collabRoles); err != nil {
		return nil, err
	}
	login := strings.TrimSpace(in.User)
	if login == "" || len(login) > 254 {
		return nil, errs.Field("user", "user must be the username or email of an account")
	}
	// Only owners learn whether an account exists.
	if _, role, err := storyFor(ctx, s.db, storyID, p.UserID); err != nil {
		return nil, err
	} else if err := need(role, RoleOwner, "manage its collaborators"); err != nil {
		return nil, err
	}
	uid, err := s.users.FindUserID(ctx, login)
	if errs.Is(err, errs.NotFound) {
		return nil, &errs.Error{Kind: errs.NotFound, Field: "user", Message: "no account has that username or email"}
	}
	if err != nil {
		return nil, err
	}
	var added Collaborator
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		st, role, err := storyFor(ctx, tx, storyID, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleOwner, "manage its collaborators"); err != nil {
			return err
		}
		if err := storyNotLive(st); err != nil {
			return err
		}
		now := s.nowUTC()
		if err := insertCollaborator(ctx, tx, uuid.NewString(), storyID, uid, in.Role, p.UserID, now); err != nil {
			if _, dup := sqldb.IsUniqueViolation(err); dup {
				return &errs.Error{Kind: errs.Conflict, Field: "user", Message: "that user already collaborates on this story; change their role instead"}
			}
			return err
		}
		by := p.UserID
		added = Collaborator{UserID: uid, Role: in.Role, InvitedBy: &by, CreatedAt: now}
		return outbox.Record(ctx, tx, now, outbox.Event{Topic: "story.collaborator_added", AggregateID: storyID, ActorID: p.UserID,
			Payload: map[string]any{"user_id": uid, "role": in.Role}})
	})
	if err != nil {
		return nil, err
	}
	list, err := s.named(ctx, []Collaborator{added})
	if err != nil {
		return nil, err
	}
	return &list[0], nil
}

// ChangeCollaborator changes a collaborator's role (owners only). A story always
// keeps at least one owner.
func (s *Service) ChangeCollaborator(ctx context.Context, p auth.Principal, storyID, userID, newRole string) error {
	if err := oneOf("role", newRole, collabRoles); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, role, err := storyFor(ctx, tx, storyID, p.UserID)
		if err != nil {
			return err
		}
		if err := need(role, RoleOwner, "manage its collaborators"); err != nil {
			return err
		}
		old, err := collaboratorRole(ctx, tx, storyID, userID)
		if err != nil {
			return err
		}
		if old == newRole {
			return nil
		}
		if old == "owner" {
			if err := keepAnOwner(ctx, tx, storyID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collaborations SET role = $1 WHERE book_id = $2 AND user_id = $3`, newRole, storyID, userID); err != nil {
			return fmt.Errorf("content: change collaborator: %w", err)
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "story.collaborator_changed", AggregateID: storyID, ActorID: p.UserID,
			Payload: map[string]any{"user_id": userID, "role": newRole}})
	})
}

func keepAnOwner(ctx context.Context, tx querier, storyID string) error {
	n, err := countOwners(ctx, tx, storyID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errs.E(errs.Conflict, "a story needs an owner: make someone else owner first")
	}
	return nil
}

// RemoveCollaborator takes a user off the story. Owners remove anyone; any
// collaborator may remove themself (leave). The last owner cannot leave.
func (s *Service) RemoveCollaborator(ctx context.Context, p auth.Principal, storyID, userID string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, role, err := storyFor(ctx, tx, storyID, p.UserID)
		if err != nil {
			return err
		}
		if userID != p.UserID {
			if err := need(role, RoleOwner, "manage its collaborators"); err != nil {
				return err
			}
		} else if err := need(role, RoleViewer, "leave it"); err != nil {
			return err
		}
		old, err := collaboratorRole(ctx, tx, storyID, userID)
		if err != nil {
			return err
		}
		if old == "owner" {
			if err := keepAnOwner(ctx, tx, storyID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM collaborations WHERE book_id = $1 AND user_id = $2`, storyID, userID); err != nil {
			return fmt.Errorf("content: remove collaborator: %w", err)
		}
		return outbox.Record(ctx, tx, s.nowUTC(), outbox.Event{Topic: "story.collaborator_removed", AggregateID: storyID, ActorID: p.UserID,
			Payload: map[string]any{"user_id": userID}})
	})
}

func (h *Handler) collaboratorRoutes(mux httpapi.Mux) {
	auth := httpapi.RequireAuth
	mux.HandleFunc("GET /api/stories/{id}/collaborators", auth(endpoint(0, func(c *call[none]) (reply, error) {
		list, err := h.svc.Collaborators(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("POST /api/stories/{id}/collaborators", auth(endpoint(h.maxBody, func(c *call[CollaboratorInput]) (reply, error) {
		added, err := h.svc.AddCollaborator(c.ctx(), c.who(), c.ID, c.In)
		return reply{Status: http.StatusCreated, Body: added}, err
	})))
	mux.HandleFunc("PUT /api/stories/{id}/collaborators/{userId}", auth(endpoint(h.maxBody, func(c *call[roleInput]) (reply, error) {
		uid, err := c.uuid("userId")
		if err != nil {
			return reply{}, err
		}
		if err := h.svc.ChangeCollaborator(c.ctx(), c.who(), c.ID, uid, c.In.Role); err != nil {
			return reply{}, err
		}
		list, err := h.svc.Collaborators(c.ctx(), c.who(), c.ID)
		return ok(list), err
	})))
	mux.HandleFunc("DELETE /api/stories/{id}/collaborators/{userId}", auth(endpoint(0, func(c *call[none]) (reply, error) {
		uid, err := c.uuid("userId")
		if err != nil {
			return reply{}, err
		}
		return ok(map[string]bool{"removed": true}), h.svc.RemoveCollaborator(c.ctx(), c.who(), c.ID, uid)
	})))
}

type roleInput struct {
	Role string `json:"role"`
}
