// Package blob stores opaque objects (uploaded files, generated exports) under
// string keys, behind one small interface with two implementations: a directory
// on local disk (the embedded default) and an S3-compatible bucket (MinIO, AWS
// S3, versitygw …). It knows nothing of users, quotas or media types; package
// storage owns those and keeps the metadata in SQL.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
)

// Errors a Store returns; test them with errors.Is.
var (
	// ErrNotFound means no object has the key.
	ErrNotFound = errors.New("blob: object not found")
	// ErrInvalidRange means a byte range starts at or after the end of the object.
	ErrInvalidRange = errors.New("blob: range not satisfiable")
	// ErrSizeMismatch means Put was told a size the reader did not deliver.
	ErrSizeMismatch = errors.New("blob: reader size differs from the declared size")
	// ErrPresignUnsupported means the backend cannot hand out download URLs.
	ErrPresignUnsupported = fmt.Errorf("blob: presigned URLs: %w", errors.ErrUnsupported)
)

// Store keeps objects under keys. Implementations are safe for concurrent use.
type Store interface {
	// Put stores the bytes of r under key, replacing any object there, and
	// returns what was stored. size is the exact length of r, or -1 when it is
	// unknown. The object appears whole or not at all: a failed or cancelled Put
	// leaves no partial object behind (and an earlier object under key intact).
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Info, error)
	// Get opens the object under key, or the part of it rng names (nil for the
	// whole). The Info describes the whole object, not the range. The caller
	// closes the reader.
	Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Info, error)
	// Stat describes the object under key.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object under key. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List yields the objects whose keys start with prefix, in no set order.
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]
	// PresignGet returns a URL that downloads the object without credentials
	// until ttl has passed, or ErrPresignUnsupported.
	PresignGet(ctx context.Context, key string, ttl time.Duration, opts PresignOptions) (string, error)
	// Provider names the backend as the storage_provider column does: "local",
	// "minio" or "s3".
	Provider() string
}

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ETag    string // the backend's entity tag, unquoted; opaque
	ModTime time.Time
	// ContentType is what Put was given, on backends that keep it (S3); empty on
	// local disk, where the caller keeps it.
	ContentType string
}

// PutOptions tune Put.
type PutOptions struct {
	ContentType string
}

// PresignOptions set the headers a presigned download answers with.
type PresignOptions struct {
	// ContentType overrides the stored Content-Type.
	ContentType string
	// ContentDisposition is sent as is, e.g. `attachment; filename="a.pdf"`.
	ContentDisposition string
}

// Range is a byte range of an object.
type Range struct {
	Offset int64
	// Length is the number of bytes to read; negative means to the end.
	Length int64
}

// resolve checks r against an object of size bytes and returns the range's first
// byte and its length, clipped to the object.
func (r Range) resolve(size int64) (int64, int64, error) {
	if r.Offset < 0 {
		return 0, 0, fmt.Errorf("blob: negative range offset %d: %w", r.Offset, ErrInvalidRange)
	}
	if r.Offset >= size {
		if r.Offset == 0 && size == 0 && r.Length != 0 {
			return 0, 0, nil // the whole of an empty object
		}
		return 0, 0, fmt.Errorf("blob: range starts at %d of a %d-byte object: %w", r.Offset, size, ErrInvalidRange)
	}
	n := size - r.Offset
	if r.Length >= 0 && r.Length < n {
		n = r.Length
	}
	return r.Offset, n, nil
}

// MaxKeyLen is the longest key a Store accepts, in bytes.
const MaxKeyLen = 512

// ValidKey reports whether key is acceptable to every Store: slash-separated
// segments of ASCII letters, digits, '-', '_' and '.', none empty and none starting
// with '.', so that no key can name a hidden file or climb out of a directory on
// disk, and every key means the same on every backend.
func ValidKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("blob: key must be 1 to %d bytes, got %d", MaxKeyLen, len(key))
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return fmt.Errorf("blob: invalid key %q: empty segment or segment starting with '.'", key)
		}
		for i := 0; i < len(seg); i++ {
			if !keyByte(seg[i]) {
				return fmt.Errorf("blob: invalid key %q: byte %q is not allowed", key, seg[i])
			}
		}
	}
	return nil
}

// validPrefix accepts "" and any prefix of a valid key ending with '/'.
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return ValidKey(strings.TrimSuffix(prefix, "/"))
}

func keyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// errSeq is an iterator that yields a single error.
func errSeq(err error) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) { yield(Info{}, err) }
}

// readCloser joins a reader with the Close of another value.
type readCloser struct {
	io.Reader
	io.Closer
}
