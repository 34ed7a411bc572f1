package storage

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
)

// ListFilter selects and pages the caller's files.
type ListFilter struct {
	Purpose Purpose // empty for all
	StoryID string  // empty for all
	Limit   int     // 1–100, default 50
	Cursor  string  // next_cursor of the previous page
}

// FilePage is a page of files, newest first.
type FilePage struct {
	Items      []FileView `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

// List pages through the caller's own files, newest first, so that a writer can
// see what uses their quota.
func (s *Service) List(ctx context.Context, p auth.Principal, f ListFilter) (*FilePage, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := []string{"user_id = " + arg(p.UserID), "status = 'ready'"}
	if f.Purpose != "" {
		if !slices.Contains(Purposes, f.Purpose) {
			return nil, errs.Field("purpose", "purpose must be one of cover, attachment, import, export")
		}
		where = append(where, "purpose = "+arg(string(f.Purpose)))
	}
	if f.StoryID != "" {
		if _, err := uuid.Parse(f.StoryID); err != nil || len(f.StoryID) != 36 {
			return nil, errs.Field("story_id", "story_id must be a UUID")
		}
		where = append(where, "book_id = "+arg(f.StoryID))
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		a, i := arg(at), arg(id)
		where = append(where, fmt.Sprintf("(created_at < %s OR (created_at = %s AND id < %s))", a, a, i))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+fileCols+` FROM storage_metadata WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT `+arg(f.Limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("storage: list files: %w", err)
	}
	defer rows.Close()
	page := &FilePage{Items: []FileView{}}
	var last *File
	for rows.Next() {
		file, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list files: %w", err)
		}
		if len(page.Items) == f.Limit {
			c := encodeCursor(last)
			page.NextCursor = &c
			break
		}
		page.Items = append(page.Items, file.View())
		last = file
	}
	return page, rows.Err()
}

func encodeCursor(f *File) string {
	b, _ := json.Marshal([]string{f.CreatedAt.Format(time.RFC3339Nano), f.ID}) //nolint:errchkjson // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) (time.Time, string, error) {
	bad := errs.Field("cursor", "cursor is not one this list returned")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	var parts []string
	if json.Unmarshal(raw, &parts) != nil || len(parts) != 2 {
		return time.Time{}, "", bad
	}
	t, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return time.Time{}, "", bad
	}
	if _, err := uuid.Parse(parts[1]); err != nil {
		return time.Time{}, "", bad
	}
	return t.UTC(), parts[1], nil
}
