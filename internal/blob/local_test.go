package blob_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
	"github.com/authorworks/authorworks/internal/blob/blobtest"
)

func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	s, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLocal(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { return newLocal(t) })
}

// TestLocalStaysInsideItsDirectory checks that nothing a key says reaches a file
// beside the store's directory.
func TestLocalStaysInsideItsDirectory(t *testing.T) {
	parent := t.TempDir()
	s, err := blob.NewLocal(filepath.Join(parent, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(parent, "secret")
	if err := os.WriteFile(secret, []byte("keep out"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, key := range []string{"../secret", "a/../../secret", "/" + secret, `..\secret`} {
		if rc, _, err := s.Get(ctx, key, nil); err == nil {
			rc.Close()
			t.Errorf("Get(%q) read outside the store", key)
		}
		if _, err := s.Put(ctx, key, strings.NewReader("pwned"), -1, blob.PutOptions{}); err == nil {
			t.Errorf("Put(%q) succeeded", key)
		}
		if err := s.Delete(ctx, key); err == nil {
			t.Errorf("Delete(%q) succeeded", key)
		}
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "keep out" {
		t.Errorf("the file beside the store now reads %q, %v", b, err)
	}
}

// TestLocalLeavesNoTemporaryFiles checks that neither a finished nor a failed Put
// leaves its temporary file behind, and that NewLocal sweeps stale ones.
func TestLocalLeavesNoTemporaryFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Put(ctx, "ok", strings.NewReader("fine"), -1, blob.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if _, err := s.Put(ctx, "bad", errReader{boom}, -1, blob.PutOptions{}); !errors.Is(err, boom) {
		t.Fatalf("Put with failing reader: %v", err)
	}
	tmp := filepath.Join(dir, ".tmp")
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%s holds %d files after the puts, want none", tmp, len(entries))
	}

	stale, fresh := filepath.Join(tmp, "put-stale"), filepath.Join(tmp, "put-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.NewLocal(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("NewLocal left the day-old temporary file (%v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("NewLocal removed a fresh temporary file, which may be a live write: %v", err)
	}
	// Temporary files are not objects.
	if keys := blobtest.Keys(t, s); len(keys) != 1 || keys[0] != "ok" {
		t.Errorf("List = %v, want [ok]", keys)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
