package storage

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/errs"
)

// UploadInput is one file a user uploads.
type UploadInput struct {
	Purpose Purpose
	// StoryID, when set, attaches the file to a story the caller owns or edits;
	// the story's collaborators may then read it.
	StoryID string
	// Name is the client's file name; it is cleaned and used only to show and to
	// name the download (and to tell Markdown and Fountain from plain text).
	Name string
	Body io.Reader
	// BodySize is the length of the request body that carries the file, when
	// known (else -1 or 0): a file that cannot fit is refused before it is read.
	BodySize int64
}

// FormOverhead is how many bytes of a multipart upload body Admit allows for
// everything but the file: boundaries, part headers and the small fields.
const FormOverhead = 16 << 10

// Admit checks, before any of an upload's body is read, whether a body of
// contentLength bytes (-1 when unknown) can be accepted. A body that must hold a
// file larger than the purpose's limit (or, with purpose empty, than any
// purpose's), or larger than the caller's remaining quota, is refused with 413,
// so a client that waits for 100 Continue never sends it.
func (s *Service) Admit(ctx context.Context, userID string, purpose Purpose, contentLength int64) error {
	least := contentLength - FormOverhead
	if least <= 0 {
		return nil
	}
	limit := s.MaxUploadSize()
	if purpose != "" {
		limit = s.maxSize[purpose]
	}
	if least > limit {
		return tooLargeError(purpose, limit)
	}
	tier, quota, err := s.quota(ctx, userID)
	if err != nil || quota == 0 {
		return err
	}
	u, err := used(ctx, s.db, userID)
	if err != nil {
		return err
	}
	if u+least > quota {
		return quotaError(tier, quota, u, least, false)
	}
	return nil
}

// Upload stores a file the caller uploads. It detects the media type from the
// bytes and refuses types the purpose does not accept (415), files over the
// purpose's size limit or the caller's quota (413, while streaming: the body is
// never held in memory), and damaged or disguised files (415, after checking the
// stored object's header or directory). A refused or failed upload leaves neither
// a row nor an object behind, and so costs no quota.
func (s *Service) Upload(ctx context.Context, p auth.Principal, in UploadInput) (*File, error) {
	if !in.Purpose.uploadable() {
		return nil, errs.Field("purpose", "purpose must be one of cover, attachment, import")
	}
	if err := s.Admit(ctx, p.UserID, in.Purpose, in.BodySize); err != nil {
		return nil, err
	}
	if in.StoryID != "" {
		if _, err := uuid.Parse(in.StoryID); err != nil || len(in.StoryID) != 36 {
			return nil, errs.Field("story_id", "story_id must be a UUID, got %q", truncate(in.StoryID, 40))
		}
		if err := checkAttach(ctx, s.db, in.StoryID, p.UserID); err != nil {
			return nil, err
		}
	}
	return s.put(ctx, putRequest{owner: p.UserID, storyID: in.StoryID, name: cleanName(in.Name), purpose: in.Purpose, body: in.Body})
}

// PutGenerated stores a file that the export service generated from storyID for
// userID, as purpose "export". The media type is the generator's word (it is not
// sniffed). Exports do not count against the storage quota: they are derived from
// the story, and the export service replaces them instead of accumulating them.
// The caller deletes the file (Remove) when it deletes the export; Purge removes
// exports whose story is gone. Collaborators of the story may download it.
func (s *Service) PutGenerated(ctx context.Context, userID, storyID, name, mediaType string, r io.Reader) (*File, error) {
	if storyID == "" {
		return nil, fmt.Errorf("storage: generated file %q: no story", name)
	}
	if _, _, err := mime.ParseMediaType(mediaType); err != nil {
		return nil, fmt.Errorf("storage: generated file %q: media type %q: %w", name, mediaType, err)
	}
	return s.put(ctx, putRequest{owner: userID, storyID: storyID, name: cleanName(name), purpose: PurposeExport,
		mediaType: mediaType, body: r})
}

type putRequest struct {
	owner, storyID, name string
	purpose              Purpose
	// mediaType is given for generated files; uploads have theirs detected.
	mediaType string
	body      io.Reader
}

func (s *Service) put(ctx context.Context, req putRequest) (*File, error) {
	limit := s.maxSize[req.purpose]
	var (
		tier  string
		quota int64
		room  int64 = -1
	)
	if req.purpose.counted() {
		var err error
		if tier, quota, err = s.quota(ctx, req.owner); err != nil {
			return nil, err
		}
		if quota > 0 {
			u, err := used(ctx, s.db, req.owner)
			if err != nil {
				return nil, err
			}
			if room = quota - u; room <= 0 {
				return nil, quotaError(tier, quota, u, 0, false)
			}
		}
	}

	br := bufio.NewReaderSize(req.body, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, bodyError(err)
	}
	if len(head) == 0 {
		return nil, errs.Field("file", "the file is empty")
	}
	mt := req.mediaType
	if mt == "" {
		if mt, err = detect(head, req.name); err != nil {
			return nil, err
		}
		if !mayBe(req.purpose, mt) {
			return nil, unsupported(req.purpose, mt)
		}
	}

	f := &File{ID: uuid.NewString(), OwnerID: req.owner, StoryID: req.storyID, Name: req.name, MediaType: mt,
		Purpose: req.purpose, Status: statusPending, Provider: s.store.Provider(), CreatedAt: s.nowUTC()}
	f.Key = objectKey(f.OwnerID, f.ID)
	if err := insertPending(ctx, s.db, f); err != nil {
		return nil, err
	}
	done := false
	defer func() {
		if !done {
			s.discard(ctx, f)
		}
	}()

	src := &source{r: br, limit: limit, room: room, purpose: req.purpose, hash: sha256.New(),
		overQuota: func(n int64) error { return quotaError(tier, quota, quota-room, n, false) }}
	if req.mediaType == "" && isText(mt) {
		src.text = &utf8Check{}
	}
	if _, err := s.store.Put(ctx, f.Key, src, -1, blob.PutOptions{ContentType: mt}); err != nil {
		if src.err != nil {
			return nil, src.err
		}
		if ctx.Err() != nil {
			return nil, errs.E(errs.Invalid, "the upload was cancelled")
		}
		return nil, &errs.Error{Kind: errs.Unavailable, Message: "file storage is unavailable; try again later",
			Err: fmt.Errorf("storage: put %s: %w", f.Key, err)}
	}
	f.Size = src.n
	f.SHA256 = hex.EncodeToString(src.hash.Sum(nil))
	f.ETag = `"` + f.SHA256 + `"`
	if req.mediaType == "" {
		final, err := verify(ctx, s.store, f.Key, f.Size, mt, req.purpose)
		if err != nil {
			return nil, err
		}
		if !allowedFor(req.purpose, final) {
			return nil, unsupported(req.purpose, final)
		}
		f.MediaType = final
	}

	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if quota > 0 {
			// Serialise the owner's uploads here so that two running at once
			// cannot both fit in the same remaining room.
			if err := s.db.LockRow(ctx, tx, "users", f.OwnerID); err != nil {
				return err
			}
			u, err := used(ctx, tx, f.OwnerID)
			if err != nil {
				return err
			}
			if u+f.Size > quota {
				return quotaError(tier, quota, u, f.Size, true)
			}
		}
		ok, err := markReady(ctx, tx, f)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Conflict, "the upload took too long and was abandoned; try again")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	done = true
	f.Status = statusReady
	return f, nil
}

// mayBe reports whether a file whose first bytes say mt may still turn out to be
// a type the purpose accepts.
func mayBe(p Purpose, mt string) bool {
	if mt == mediaZip {
		return allowedFor(p, MediaDOCX)
	}
	return allowedFor(p, mt)
}

func unsupported(p Purpose, mt string) error {
	return errs.E(errs.UnsupportedMedia, "a file of this type (%s) cannot be uploaded as %s; accepted: %s",
		describe(mt), p, describeAll(Allowed[p]))
}

// discard removes what a failed upload stored: its object, then its row. When
// the object cannot be deleted now, the row is left in status deleting for Purge
// to finish, so the object is never lost track of.
func (s *Service) discard(ctx context.Context, f *File) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.store.Delete(ctx, f.Key); err != nil {
		s.log.Warn("storage: could not delete the object of a failed upload; purge will retry", "file_id", f.ID, "err", err)
		if _, err := markDeleting(ctx, s.db, f.ID, statusPending); err != nil {
			s.log.Warn("storage: could not mark a failed upload for deletion", "file_id", f.ID, "err", err)
		}
		return
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM storage_metadata WHERE id = $1 AND status <> 'ready'`, f.ID); err != nil {
		s.log.Warn("storage: could not delete the row of a failed upload; purge will retry", "file_id", f.ID, "err", err)
	}
}

// source is the upload's body as the blob store reads it: it counts, hashes and,
// for text, validates the bytes, and stops the upload with the first reason to
// refuse it (size limit, quota, invalid text, a broken body), which it keeps.
type source struct {
	r         io.Reader
	n         int64
	limit     int64
	room      int64 // bytes left in the quota; -1 for unlimited
	purpose   Purpose
	overQuota func(n int64) error
	hash      hash.Hash
	text      *utf8Check
	err       error
}

func (s *source) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	if n > 0 {
		s.n += int64(n)
		switch {
		case s.n > s.limit:
			s.err = tooLargeError(s.purpose, s.limit)
		case s.room >= 0 && s.n > s.room:
			s.err = s.overQuota(s.n)
		case s.text != nil:
			s.err = s.text.Write(p[:n])
		}
		if s.err != nil {
			return 0, s.err
		}
		s.hash.Write(p[:n])
	}
	switch {
	case errors.Is(err, io.EOF) && s.text != nil:
		if s.err = s.text.Close(); s.err != nil {
			return n, s.err
		}
	case err != nil && !errors.Is(err, io.EOF):
		s.err = bodyError(err)
		return n, s.err
	}
	return n, err
}

// bodyError says why reading an upload's body failed.
func bodyError(err error) error {
	var (
		e   *errs.Error
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &mbe):
		return errs.E(errs.TooLarge, "the request body exceeds %s", mib(mbe.Limit))
	}
	return &errs.Error{Kind: errs.Invalid, Message: "the upload was interrupted before the file was complete", Err: err}
}
