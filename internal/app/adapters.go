package app

import (
	"context"
	"io"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/content"
	"github.com/authorworks/authorworks/internal/errs"
	"github.com/authorworks/authorworks/internal/exports"
	"github.com/authorworks/authorworks/internal/imports"
	"github.com/authorworks/authorworks/internal/storage"
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

// people names accounts for bylines and manuscript contact blocks.
type people struct{ users *user.Service }

var _ exports.People = people{}

func (p people) Person(ctx context.Context, userID string) (string, string, error) {
	u, err := p.users.Get(ctx, userID)
	if err != nil {
		return "", "", err
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	return name, u.Email, nil
}

// exportFiles stores export files with the storage service.
type exportFiles struct{ s *storage.Service }

var _ exports.Files = exportFiles{}

func (f exportFiles) PutGenerated(ctx context.Context, userID, storyID, name, mediaType string, r io.Reader) (string, int64, error) {
	file, err := f.s.PutGenerated(ctx, userID, storyID, name, mediaType, r)
	if err != nil {
		return "", 0, err
	}
	return file.ID, file.Size, nil
}

func (f exportFiles) Open(ctx context.Context, fileID string) (io.ReadCloser, string, error) {
	file, err := f.s.File(ctx, fileID)
	if err != nil {
		return nil, "", err
	}
	return f.s.Content(ctx, file), file.MediaType, nil
}

func (f exportFiles) Delete(ctx context.Context, fileID string) error { return f.s.Remove(ctx, fileID) }

// importFiles opens a writer's uploaded manuscripts.
type importFiles struct{ s *storage.Service }

var _ imports.Files = importFiles{}

func (f importFiles) OpenOwn(ctx context.Context, p auth.Principal, fileID string) (*imports.File, error) {
	file, body, err := f.s.Read(ctx, p, fileID)
	if err != nil {
		return nil, err
	}
	if file.OwnerID != p.UserID {
		body.Close()
		return nil, errs.E(errs.NotFound, "file not found")
	}
	return &imports.File{Name: file.Name, Size: file.Size, Purpose: string(file.Purpose), Body: body}, nil
}
