package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/errs"
)

// Open returns file id if the caller (nil when anonymous) may read it: its owner,
// a collaborator of the story it belongs to or whose cover it is, or anyone for
// the cover of a published story. public reports the last case. Everyone else is
// told the file does not exist.
func (s *Service) Open(ctx context.Context, caller *auth.Principal, id string) (f *File, public bool, err error) {
	f, err = loadReady(ctx, s.db, id)
	if err != nil {
		return nil, false, err
	}
	userID := ""
	if caller != nil {
		userID = caller.UserID
	}
	ok, public, err := readAccess(ctx, s.db, f, userID)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, false, errFileNotFound()
	}
	if f.Provider != s.store.Provider() {
		return nil, false, errs.E(errs.Unavailable, "this file is kept on %s storage, which this server is not configured to use", f.Provider)
	}
	return f, public, nil
}

// Read opens the bytes of file id for a caller who may read it (see Open); the
// import service reads uploaded manuscripts through it. The caller closes the reader.
func (s *Service) Read(ctx context.Context, p auth.Principal, id string) (*File, io.ReadCloser, error) {
	f, _, err := s.Open(ctx, &p, id)
	if err != nil {
		return nil, nil, err
	}
	rc, _, err := s.store.Get(ctx, f.Key, nil)
	if err != nil {
		return nil, nil, s.objectError(f, err)
	}
	return f, rc, nil
}

// File returns the metadata of a ready file without checking access, for other
// services that keep file ids (the export service).
func (s *Service) File(ctx context.Context, id string) (*File, error) {
	return loadReady(ctx, s.db, id)
}

// objectError explains a blob error about f's object.
func (s *Service) objectError(f *File, err error) error {
	if errors.Is(err, blob.ErrNotFound) {
		// The row says ready but the object is gone: someone removed it behind
		// the service's back.
		return &errs.Error{Kind: errs.Internal, Err: fmt.Errorf("storage: object of ready file %s is missing: %w", f.ID, err)}
	}
	return &errs.Error{Kind: errs.Unavailable, Message: "file storage is unavailable; try again later",
		Err: fmt.Errorf("storage: read %s: %w", f.Key, err)}
}

// PresignedURL returns a URL that downloads f directly from the store, valid for
// Config.PresignTTL, or "" when presigned downloads are off or the store cannot
// make them.
func (s *Service) PresignedURL(ctx context.Context, f *File) (string, error) {
	if s.presignTTL <= 0 {
		return "", nil
	}
	u, err := s.store.PresignGet(ctx, f.Key, s.presignTTL, blob.PresignOptions{
		ContentType: servedType(f.MediaType), ContentDisposition: ContentDisposition(f)})
	if errors.Is(err, blob.ErrPresignUnsupported) {
		return "", nil
	}
	if err != nil {
		return "", s.objectError(f, err)
	}
	return u, nil
}

// DownloadURL returns where a client downloads file id: a presigned URL when
// those are on (valid for Config.PresignTTL, so hand it out, do not keep it),
// else the file's API path, which checks access, serves ranges and revalidates.
func (s *Service) DownloadURL(ctx context.Context, id string) (string, error) {
	f, err := loadReady(ctx, s.db, id)
	if err != nil {
		return "", err
	}
	if u, err := s.PresignedURL(ctx, f); err != nil || u != "" {
		return u, err
	}
	return Path(f.ID), nil
}

// Content returns f's bytes as an io.ReadSeeker for http.ServeContent. Each
// seek to a new offset reads from there with a ranged read, so serving a byte
// range fetches only that range. The caller closes it.
func (s *Service) Content(ctx context.Context, f *File) *Content {
	return &Content{ctx: ctx, s: s, f: f}
}

// Content reads a stored file; see Service.Content.
type Content struct {
	ctx  context.Context
	s    *Service
	f    *File
	pos  int64
	body io.ReadCloser
	// err is the first failure to read the object, for the handler to log.
	err error
}

// Read implements io.Reader.
func (c *Content) Read(p []byte) (int, error) {
	if c.pos >= c.f.Size {
		return 0, io.EOF
	}
	if c.body == nil {
		var rng *blob.Range
		if c.pos > 0 {
			rng = &blob.Range{Offset: c.pos, Length: -1}
		}
		rc, _, err := c.s.store.Get(c.ctx, c.f.Key, rng)
		if err != nil {
			c.err = c.s.objectError(c.f, err)
			return 0, c.err
		}
		c.body = rc
	}
	n, err := c.body.Read(p)
	c.pos += int64(n)
	if errors.Is(err, io.EOF) && c.pos < c.f.Size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && !errors.Is(err, io.EOF) && c.err == nil {
		c.err = err
	}
	return n, err
}

// Seek implements io.Seeker.
func (c *Content) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += c.pos
	case io.SeekEnd:
		offset += c.f.Size
	}
	if offset < 0 {
		return 0, errors.New("storage: seek before the start of the file")
	}
	if offset != c.pos {
		c.Close()
		c.pos = offset
	}
	return offset, nil
}

// Close releases the open read, if any.
func (c *Content) Close() error {
	if c.body == nil {
		return nil
	}
	err := c.body.Close()
	c.body = nil
	return err
}

// servedType is the Content-Type a file is served with: text gets its charset,
// which the service checked.
func servedType(mt string) string {
	if strings.HasPrefix(mt, "text/") && !strings.Contains(mt, "charset") {
		return mt + "; charset=utf-8"
	}
	return mt
}

// inline reports whether a browser may show the file in place: images only.
// Everything else is downloaded, which keeps a PDF's or a text's content from
// running in the application's origin.
func inline(mt string) bool {
	return mt == MediaJPEG || mt == MediaPNG || mt == MediaWebP || mt == MediaGIF
}

// ContentDisposition is the Content-Disposition header of f's download: its name
// as an ASCII fallback and, per RFC 6266 and RFC 8187, in UTF-8.
func ContentDisposition(f *File) string {
	disp := "attachment"
	if inline(f.MediaType) {
		disp = "inline"
	}
	var ascii strings.Builder
	for _, r := range f.Name {
		switch {
		case r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return disp + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + rfc8187(f.Name)
}

// rfc8187 percent-encodes s for an ext-value: every byte but attr-char.
func rfc8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
