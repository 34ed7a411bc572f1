package app

import (
	"context"
	"database/sql"
	"errors"

	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/sqldb"
	"github.com/authorworks/authorworks/internal/user"
)

// userDirectory lets the content service find and name accounts.
type userDirectory struct{ users *user.Service }

var _ content.UserDirectory = userDirectory{}

func (d userDirectory) FindUserID(ctx context.Context, login string) (string, error) {
	return d.users.FindUserID(ctx, login)
}

func (d userDirectory) Names(ctx context.Context, ids []string) (map[string]content.UserName, error) {
	names, err := d.users.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]content.UserName, len(names))
	for id, n := range names {
		out[id] = content.UserName{Username: n.Username, DisplayName: n.DisplayName}
	}
	return out, nil
}

// storageFiles answers whether a user owns a stored file, from storage_metadata.
type storageFiles struct{ db *sqldb.DB }

var _ content.FileOwner = storageFiles{}

func (f storageFiles) OwnsFile(ctx context.Context, userID, fileID string) (bool, error) {
	var one int
	err := f.db.QueryRowContext(ctx, `SELECT 1 FROM storage_metadata WHERE id = $1 AND user_id = $2`, fileID, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
