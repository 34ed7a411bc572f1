package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
)

// Run runs the behaviour every blob.Store must show against stores made by
// newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutGetKnownSize", testPutGetKnownSize},
		{"PutUnknownSizeMultipart", testPutUnknownSize},
		{"EmptyObject", testEmptyObject},
		{"Replace", testReplace},
		{"Ranges", testRanges},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"InvalidKeys", testInvalidKeys},
		{"FailedPutLeavesNothing", testFailedPut},
		{"SizeMismatch", testSizeMismatch},
		{"CancelledPut", testCancelledPut},
		{"List", testList},
		{"Presign", testPresign},
		{"Concurrent", testConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// Data returns n pseudo-random bytes, the same for the same seed.
func Data(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

var errBoom = errors.New("reader failed on purpose")

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func put(t *testing.T, s blob.Store, key string, data []byte, size int64) blob.Info {
	t.Helper()
	info, err := s.Put(ctxT(t), key, bytes.NewReader(data), size, blob.PutOptions{ContentType: "application/octet-stream"})
	if err != nil {
		t.Fatalf("Put(%s, %d bytes, size %d): %v", key, len(data), size, err)
	}
	if info.Size != int64(len(data)) {
		t.Errorf("Put(%s) Info.Size = %d, want %d", key, info.Size, len(data))
	}
	return info
}

func get(t *testing.T, s blob.Store, key string, rng *blob.Range) ([]byte, blob.Info) {
	t.Helper()
	rc, info, err := s.Get(ctxT(t), key, rng)
	if err != nil {
		t.Fatalf("Get(%s, %+v): %v", key, rng, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, info
}

func wantContent(t *testing.T, s blob.Store, key string, want []byte) {
	t.Helper()
	got, info := get(t, s, key, nil)
	if !bytes.Equal(got, want) {
		t.Errorf("Get(%s) returned %d bytes that differ from the %d stored", key, len(got), len(want))
	}
	if info.Size != int64(len(want)) {
		t.Errorf("Get(%s) Info.Size = %d, want %d", key, info.Size, len(want))
	}
}

func wantMissing(t *testing.T, s blob.Store, key string) {
	t.Helper()
	if _, err := s.Stat(ctxT(t), key); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat(%s) error = %v, want ErrNotFound", key, err)
	}
}

// Keys returns every key in s.
func Keys(t *testing.T, s blob.Store) []string {
	t.Helper()
	var keys []string
	for info, err := range s.List(ctxT(t), "") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		keys = append(keys, info.Key)
	}
	slices.Sort(keys)
	return keys
}

func testPutGetKnownSize(t *testing.T, s blob.Store) {
	data := Data(1, 100_000)
	info := put(t, s, "files/u1/a", data, int64(len(data)))
	if info.ETag == "" {
		t.Error("Put returned an empty ETag")
	}
	wantContent(t, s, "files/u1/a", data)
	st, err := s.Stat(ctxT(t), "files/u1/a")
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != int64(len(data)) || st.ETag != info.ETag || st.Key != "files/u1/a" {
		t.Errorf("Stat = %+v, want size %d, ETag %q, key files/u1/a", st, len(data), info.ETag)
	}
	if st.ModTime.IsZero() || time.Since(st.ModTime) > time.Hour {
		t.Errorf("Stat ModTime = %v, want about now", st.ModTime)
	}
}

func testPutUnknownSize(t *testing.T, s blob.Store) {
	// Larger than one S3 part, so the S3 store sends it in several.
	data := Data(2, blob.MinPartSize+123_457)
	put(t, s, "big", data, -1)
	wantContent(t, s, "big", data)
	small := Data(3, 10)
	put(t, s, "small", small, -1)
	wantContent(t, s, "small", small)
}

func testEmptyObject(t *testing.T, s blob.Store) {
	put(t, s, "empty", nil, 0)
	wantContent(t, s, "empty", nil)
	if got, _ := get(t, s, "empty", &blob.Range{Offset: 0, Length: -1}); len(got) != 0 {
		t.Errorf("range of an empty object returned %d bytes", len(got))
	}
	put(t, s, "empty2", nil, -1)
	wantContent(t, s, "empty2", nil)
}

func testReplace(t *testing.T, s blob.Store) {
	v1, v2 := Data(4, 5000), Data(5, 7000)
	i1 := put(t, s, "k", v1, int64(len(v1)))
	i2 := put(t, s, "k", v2, -1)
	wantContent(t, s, "k", v2)
	if i1.ETag == i2.ETag {
		t.Errorf("replacing an object kept its ETag %q", i1.ETag)
	}
}

func testRanges(t *testing.T, s blob.Store) {
	data := Data(6, 10_000)
	put(t, s, "r", data, int64(len(data)))
	for _, tc := range []struct {
		name string
		rng  blob.Range
		want []byte
	}{
		{"middle", blob.Range{Offset: 100, Length: 50}, data[100:150]},
		{"first byte", blob.Range{Offset: 0, Length: 1}, data[:1]},
		{"last byte", blob.Range{Offset: 9999, Length: 1}, data[9999:]},
		{"to end", blob.Range{Offset: 9000, Length: -1}, data[9000:]},
		{"past end is clipped", blob.Range{Offset: 9990, Length: 100}, data[9990:]},
		{"whole", blob.Range{Offset: 0, Length: -1}, data},
		{"zero length", blob.Range{Offset: 10, Length: 0}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, info := get(t, s, "r", &tc.rng)
			if !bytes.Equal(got, tc.want) {
				t.Errorf("Get range %+v returned %d bytes, want %d (%x… vs %x…)", tc.rng, len(got), len(tc.want), head(got), head(tc.want))
			}
			if info.Size != int64(len(data)) {
				t.Errorf("Get range %+v Info.Size = %d, want the whole size %d", tc.rng, info.Size, len(data))
			}
		})
	}
	for _, rng := range []blob.Range{{Offset: 10_000, Length: -1}, {Offset: 20_000, Length: 5}, {Offset: -1, Length: 5}} {
		if rc, _, err := s.Get(ctxT(t), "r", &rng); !errors.Is(err, blob.ErrInvalidRange) {
			if err == nil {
				rc.Close()
			}
			t.Errorf("Get range %+v error = %v, want ErrInvalidRange", rng, err)
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 8)] }

func testMissing(t *testing.T, s blob.Store) {
	wantMissing(t, s, "nope/x")
	if rc, _, err := s.Get(ctxT(t), "nope/x", nil); !errors.Is(err, blob.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("Get(missing) error = %v, want ErrNotFound", err)
	}
	if rc, _, err := s.Get(ctxT(t), "nope/x", &blob.Range{Offset: 1, Length: 2}); !errors.Is(err, blob.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("Get(missing, range) error = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctxT(t), "nope/x"); err != nil {
		t.Errorf("Delete(missing) = %v, want nil", err)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	put(t, s, "d/1", []byte("one"), 3)
	put(t, s, "d/2", []byte("two"), 3)
	if err := s.Delete(ctxT(t), "d/1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantMissing(t, s, "d/1")
	wantContent(t, s, "d/2", []byte("two"))
	if err := s.Delete(ctxT(t), "d/1"); err != nil {
		t.Errorf("second Delete = %v, want nil", err)
	}
	// A key can be used again after it was deleted.
	put(t, s, "d/1", []byte("again"), -1)
	wantContent(t, s, "d/1", []byte("again"))
}

func testInvalidKeys(t *testing.T, s blob.Store) {
	for _, key := range []string{
		"", "/abs", "../escape", "a/../../escape", "a/..", "a//b", "a/", ".hidden", "a/.tmp/x",
		`a\b`, "a b", "a\x00b", "ünï", "a?b", "a%2e%2e", strings.Repeat("k", blob.MaxKeyLen+1),
	} {
		if blob.ValidKey(key) == nil {
			t.Errorf("ValidKey(%q) = nil, want an error", key)
		}
		if _, err := s.Put(ctxT(t), key, strings.NewReader("x"), 1, blob.PutOptions{}); err == nil {
			t.Errorf("Put(%q) succeeded, want an error", key)
		}
		if rc, _, err := s.Get(ctxT(t), key, nil); err == nil {
			rc.Close()
			t.Errorf("Get(%q) succeeded, want an error", key)
		}
		if _, err := s.Stat(ctxT(t), key); err == nil {
			t.Errorf("Stat(%q) succeeded, want an error", key)
		}
		if err := s.Delete(ctxT(t), key); err == nil {
			t.Errorf("Delete(%q) succeeded, want an error", key)
		}
	}
	if keys := Keys(t, s); len(keys) != 0 {
		t.Errorf("after invalid puts the store holds %v, want nothing", keys)
	}
	for _, key := range []string{"a", "a/b.c/d-e_f", "files/0a1b/2c3d.pdf", "x..y"} {
		if err := blob.ValidKey(key); err != nil {
			t.Errorf("ValidKey(%q) = %v, want nil", key, err)
		}
	}
}

// failingReader returns n bytes of data, then err.
type failingReader struct {
	data []byte
	n    int
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	k := copy(p, f.data[:min(len(f.data), f.n, len(p))])
	f.data, f.n = f.data[k:], f.n-k
	return k, nil
}

func testFailedPut(t *testing.T, s blob.Store) {
	old := Data(7, 3000)
	put(t, s, "keep", old, int64(len(old)))
	big := Data(8, blob.MinPartSize+200_000)
	for _, tc := range []struct {
		name   string
		key    string
		failAt int
		size   int64
	}{
		{"unknown size, first part", "keep", 1000, -1},
		{"unknown size, second part", "keep", blob.MinPartSize + 100_000, -1},
		{"known size", "keep", 1000, int64(len(big))},
		{"new key", "fresh", blob.MinPartSize + 100_000, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &failingReader{data: big, n: tc.failAt, err: errBoom}
			_, err := s.Put(ctxT(t), tc.key, r, tc.size, blob.PutOptions{})
			if !errors.Is(err, errBoom) {
				t.Errorf("Put with a failing reader: error = %v, want one wrapping the reader's", err)
			}
		})
	}
	wantContent(t, s, "keep", old)
	wantMissing(t, s, "fresh")
	if keys := Keys(t, s); !slices.Equal(keys, []string{"keep"}) {
		t.Errorf("after failed puts the store holds %v, want [keep]", keys)
	}
}

func testSizeMismatch(t *testing.T, s blob.Store) {
	if _, err := s.Put(ctxT(t), "short", strings.NewReader("12345"), 10, blob.PutOptions{}); !errors.Is(err, blob.ErrSizeMismatch) {
		t.Errorf("Put of 5 bytes declared as 10: error = %v, want ErrSizeMismatch", err)
	}
	if _, err := s.Put(ctxT(t), "long", strings.NewReader("1234567890"), 5, blob.PutOptions{}); !errors.Is(err, blob.ErrSizeMismatch) {
		t.Errorf("Put of 10 bytes declared as 5: error = %v, want ErrSizeMismatch", err)
	}
	wantMissing(t, s, "short")
	wantMissing(t, s, "long")
}

// blockingReader yields data until it is exhausted, then blocks until ctx is done.
type blockingReader struct {
	data []byte
	ctx  context.Context
	sent chan struct{}
	once sync.Once
}

func (b *blockingReader) Read(p []byte) (int, error) {
	if len(b.data) > 0 {
		n := copy(p, b.data)
		b.data = b.data[n:]
		return n, nil
	}
	b.once.Do(func() { close(b.sent) })
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func testCancelledPut(t *testing.T, s blob.Store) {
	ctx, cancel := context.WithCancel(ctxT(t))
	r := &blockingReader{data: Data(9, 100_000), ctx: ctx, sent: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := s.Put(ctx, "cancelled", r, -1, blob.PutOptions{})
		done <- err
	}()
	<-r.sent
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("cancelled Put succeeded")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Put did not return within 30s of its context being cancelled")
	}
	wantMissing(t, s, "cancelled")
}

func testList(t *testing.T, s blob.Store) {
	for _, k := range []string{"files/u1/a", "files/u1/b", "files/u2/c", "exports/x"} {
		put(t, s, k, []byte(k), -1)
	}
	got := map[string]int64{}
	for info, err := range s.List(ctxT(t), "files/u1/") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		got[info.Key] = info.Size
	}
	want := map[string]int64{"files/u1/a": 10, "files/u1/b": 10}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("List(files/u1/) = %v, want %v", got, want)
	}
	if keys := Keys(t, s); !slices.Equal(keys, []string{"exports/x", "files/u1/a", "files/u1/b", "files/u2/c"}) {
		t.Errorf("List(\"\") = %v", keys)
	}
	for _, err := range s.List(ctxT(t), "") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		break // stopping early must not hang or panic
	}
	for _, err := range s.List(ctxT(t), "../") {
		if err == nil {
			t.Error("List(../) yielded an object, want an error")
		}
	}
}

func testPresign(t *testing.T, s blob.Store) {
	data := Data(10, 4096)
	put(t, s, "p/doc", data, int64(len(data)))
	const disp = `attachment; filename="chapter one.txt"`
	u, err := s.PresignGet(ctxT(t), "p/doc", time.Minute, blob.PresignOptions{ContentType: "text/plain", ContentDisposition: disp})
	if errors.Is(err, blob.ErrPresignUnsupported) {
		t.Skipf("%s has no presigned URLs", s.Provider())
	}
	if err != nil {
		t.Fatalf("PresignGet: %v", err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("GET presigned URL: %d, %d bytes; want 200 and the %d bytes stored", resp.StatusCode, len(body), len(data))
	}
	if got := resp.Header.Get("Content-Disposition"); got != disp {
		t.Errorf("presigned Content-Disposition = %q, want %q", got, disp)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Range", "bytes=10-19")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[10:20]) {
		t.Errorf("ranged GET of presigned URL: %d, %x; want 206 and %x", resp.StatusCode, body, data[10:20])
	}
}

func testConcurrent(t *testing.T, s blob.Store) {
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Go(func() {
			key := fmt.Sprintf("c/%d", i)
			data := Data(uint64(100+i), 50_000+i)
			if _, err := s.Put(context.Background(), key, bytes.NewReader(data), -1, blob.PutOptions{}); err != nil {
				errs <- err
				return
			}
			rc, _, err := s.Get(context.Background(), key, nil)
			if err != nil {
				errs <- err
				return
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, data) {
				errs <- fmt.Errorf("%s: read back %d bytes, want %d: %w", key, len(got), len(data), err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
