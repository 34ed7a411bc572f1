package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Local keeps objects as files under a directory: key "a/b/c" is the file
// <dir>/a/b/c. Writes go to a temporary file under <dir>/.tmp and are renamed into
// place once complete and synced, so a reader never sees half an object.
type Local struct {
	root string
	tmp  string
}

var _ Store = (*Local)(nil)

// staleTemp is how old a temporary file must be before NewLocal removes it as the
// leftover of a crashed write; a live write is far younger, even on a slow link.
const staleTemp = 24 * time.Hour

// NewLocal returns a Store under dir, creating the directory if needed and
// removing temporary files that crashed writes left.
func NewLocal(dir string) (*Local, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: local store %s: %w", dir, err)
	}
	l := &Local{root: root, tmp: filepath.Join(root, ".tmp")}
	if err := os.MkdirAll(l.tmp, 0o700); err != nil {
		return nil, fmt.Errorf("blob: create local store: %w", err)
	}
	entries, err := os.ReadDir(l.tmp)
	if err != nil {
		return nil, fmt.Errorf("blob: read %s: %w", l.tmp, err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleTemp {
			os.Remove(filepath.Join(l.tmp, e.Name())) //nolint:errcheck // best effort; retried at the next start
		}
	}
	return l, nil
}

// Provider implements Store.
func (l *Local) Provider() string { return "local" }

func (l *Local) path(key string) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	// ValidKey already forbids "..", absolute paths and backslashes; this guards
	// the guard.
	p := filepath.Join(l.root, filepath.FromSlash(key))
	if !strings.HasPrefix(p, l.root+string(filepath.Separator)) {
		return "", fmt.Errorf("blob: key %q escapes the store", key)
	}
	return p, nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, _ PutOptions) (Info, error) {
	dst, err := l.path(key)
	if err != nil {
		return Info{}, err
	}
	f, err := os.CreateTemp(l.tmp, "put-*")
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name()) //nolint:errcheck // nothing more to do
		}
	}()
	n, err := io.Copy(f, ctxReader{ctx: ctx, r: r})
	if err != nil {
		return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return Info{}, fmt.Errorf("blob: put %s: read %d bytes, declared %d: %w", key, n, size, ErrSizeMismatch)
	}
	if err := f.Sync(); err != nil {
		return Info{}, fmt.Errorf("blob: put %s: sync: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return Info{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	done = true
	syncDir(filepath.Dir(dst))
	return l.Stat(ctx, key)
}

// syncDir makes a rename in dir durable; where directories cannot be synced the
// rename is still atomic, only not yet on disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() //nolint:errcheck // see above
		d.Close()
	}
}

// Get implements Store.
func (l *Local) Get(_ context.Context, key string, rng *Range) (io.ReadCloser, Info, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, Info{}, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, Info{}, notFound(key, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = ErrNotFound
	}
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("blob: get %s: %w", key, err)
	}
	info := localInfo(key, fi)
	if rng == nil {
		return f, info, nil
	}
	off, n, err := rng.resolve(fi.Size())
	if err != nil {
		f.Close()
		return nil, Info{}, err
	}
	return readCloser{Reader: io.NewSectionReader(f, off, n), Closer: f}, info, nil
}

// Stat implements Store.
func (l *Local) Stat(_ context.Context, key string) (Info, error) {
	p, err := l.path(key)
	if err != nil {
		return Info{}, err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return Info{}, notFound(key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("blob: %s: %w", key, ErrNotFound)
	}
	return localInfo(key, fi), nil
}

// Delete implements Store. Directories are left in place, even when empty: removing
// them would race with a Put creating a file in them.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List implements Store.
func (l *Local) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	if err := validPrefix(prefix); err != nil {
		return errSeq(err)
	}
	return func(yield func(Info, error) bool) {
		err := filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil // removed while walking
				}
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if d.IsDir() {
				if p == l.tmp {
					return filepath.SkipDir
				}
				return nil
			}
			rel, err := filepath.Rel(l.root, p)
			if err != nil {
				return err
			}
			key := filepath.ToSlash(rel)
			if !strings.HasPrefix(key, prefix) || !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking
			}
			if err != nil {
				return err
			}
			if !yield(localInfo(key, fi), nil) {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			yield(Info{}, fmt.Errorf("blob: list %q: %w", prefix, err))
		}
	}
}

// PresignGet implements Store: files on local disk are served by the application.
func (l *Local) PresignGet(context.Context, string, time.Duration, PresignOptions) (string, error) {
	return "", ErrPresignUnsupported
}

func localInfo(key string, fi fs.FileInfo) Info {
	// Size and modification time change on every replacement, which is what an
	// entity tag must do.
	etag := strconv.FormatInt(fi.Size(), 16) + "-" + strconv.FormatInt(fi.ModTime().UnixNano(), 16)
	return Info{Key: key, Size: fi.Size(), ETag: etag, ModTime: fi.ModTime().UTC()}
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %s: %w", key, ErrNotFound)
	}
	return fmt.Errorf("blob: %s: %w", key, err)
}

// ctxReader stops reading once ctx is done, so a cancelled Put ends promptly.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
