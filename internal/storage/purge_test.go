package storage

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/blob"
)

// TestPurge leaves behind what crashes leave, and checks that Purge clears it
// and nothing else.
func TestPurge(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) { c.PendingTTL = time.Hour })
		ctx := context.Background()
		ann := e.user(t, "free")
		story := e.story(t, ann)

		// A process that died mid-upload: a pending row and a complete object.
		crashed := e.pendingFile(t, ann)
		// A process that died mid-delete: the row says deleting, the object is there.
		half := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "half.txt", data: text(1000)})
		if ok, err := markDeleting(ctx, e.db, half.ID, statusReady); err != nil || !ok {
			t.Fatalf("markDeleting: %v, %v", ok, err)
		}
		// An export whose story was then purged.
		exp, err := e.svc.PutGenerated(ctx, ann, story, "book.pdf", MediaPDF, bytes.NewReader(pdfFile()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ExecContext(ctx, `DELETE FROM books WHERE id = $1`, story); err != nil {
			t.Fatal(err)
		}
		// What must stay: a ready file, and an upload younger than PendingTTL.
		keep := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "keep.txt", data: text(2000)})
		e.clock.Advance(2 * time.Hour)
		young := e.pendingFile(t, ann)

		if u := e.usage(t, ann); u.UsedBytes != keep.Size || u.Files != 1 {
			t.Errorf("usage before the purge: %+v; pending and deleting files must not count", u)
		}
		n, err := e.svc.Purge(ctx)
		if err != nil || n != 3 {
			t.Fatalf("Purge = %d, %v; want 3 (crashed upload, half delete, orphan export)", n, err)
		}
		want := []string{objectKey(ann, keep.ID), young.Key}
		slices.Sort(want)
		e.wantState(t, state{keys: want, rows: 2})
		for _, id := range []string{crashed.ID, half.ID, exp.ID} {
			if _, err := loadFile(ctx, e.db, id); err == nil {
				t.Errorf("file %s survived the purge", id)
			}
		}
		if n, err := e.svc.Purge(ctx); err != nil || n != 0 {
			t.Errorf("second Purge = %d, %v; want 0", n, err)
		}
	})
}

// pendingFile records a pending upload and writes its object, as a process does
// just before it dies.
func (e *env) pendingFile(t *testing.T, owner string) *File {
	t.Helper()
	ctx := context.Background()
	f := &File{ID: newID(t), OwnerID: owner, Name: "crash.txt", MediaType: MediaText, Purpose: PurposeAttachment,
		Provider: e.store.Provider(), CreatedAt: e.svc.nowUTC()}
	f.Key = objectKey(owner, f.ID)
	if err := insertPending(ctx, e.db, f); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Put(ctx, f.Key, bytes.NewReader(text(500)), -1, blob.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPurgeDuringUpload purges an upload that is still streaming, as happens
// when one outlives PendingTTL: the upload must fail and leave nothing behind.
func TestPurgeDuringUpload(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) { c.PendingTTL = time.Hour })
		ctx := context.Background()
		ann := e.user(t, "free")
		before := e.state(t)

		pr, pw := io.Pipe()
		done := make(chan *response, 1)
		go func() {
			done <- e.upload(t, ann, upload{query: "?purpose=attachment", name: "slow.txt", file: pr, chunked: true})
		}()
		if _, err := pw.Write(text(100 << 10)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			var n int
			if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM storage_metadata WHERE status = 'pending'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the upload did not start")
			}
			time.Sleep(10 * time.Millisecond)
		}
		e.clock.Advance(2 * time.Hour)
		if n, err := e.svc.Purge(ctx); err != nil || n != 1 {
			t.Fatalf("Purge = %d, %v; want the stalled upload", n, err)
		}
		if _, err := pw.Write(text(100 << 10)); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		r := <-done
		if r.status != http.StatusConflict {
			t.Errorf("upload purged while streaming: %s, want 409", r)
		}
		e.wantState(t, before)
	})
}

// TestMissingObject checks what a download answers when the store lost a
// ready file's object behind the service's back: an error, not a silent
// empty file.
func TestMissingObject(t *testing.T) {
	e := setup{dialect: "sqlite", backend: "local"}.newEnv(t)
	ann := e.user(t, "free")
	v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.txt", data: text(1000)})
	if err := e.store.Delete(context.Background(), objectKey(ann, v.ID)); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.url+v.URL, nil)
	req.Header.Set("Authorization", "Bearer "+ann)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && len(body) == int(v.Size) {
		t.Errorf("download of a file whose object is gone: %d with %d bytes, want a failed transfer", resp.StatusCode, len(body))
	}
}
