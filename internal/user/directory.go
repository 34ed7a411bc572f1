package user

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/authorworks/authorworks/internal/errs"
)

// FindUserID returns the id of the active account with this username or email,
// for services that let users name each other (inviting a collaborator).
func (s *Service) FindUserID(ctx context.Context, login string) (string, error) {
	login = strings.TrimSpace(login)
	var (
		u   *User
		err error
	)
	if strings.Contains(login, "@") {
		u, err = userByEmail(ctx, s.db, login)
	} else {
		u, err = userByUsername(ctx, s.db, login)
	}
	if err != nil {
		return "", err
	}
	if !u.IsActive {
		return "", errs.E(errs.NotFound, "user not found")
	}
	return u.ID, nil
}

// Name is how an account is shown to others.
type Name struct {
	Username    string
	DisplayName string
}

// Names returns the public names of the accounts with these ids (missing ids are
// left out).
func (s *Service) Names(ctx context.Context, ids []string) (map[string]Name, error) {
	out := make(map[string]Name, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i] = "$" + strconv.Itoa(i+1)
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT id, username, display_name FROM users WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("user: names: %w", err)
		}
		for rows.Next() {
			var id string
			var n Name
			if err := rows.Scan(&id, &n.Username, &n.DisplayName); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
