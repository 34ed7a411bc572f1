package storage

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingBody counts what the server reads of a request body.
type countingBody struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingBody) Close() error { return nil }

// TestQuotaByContentLength checks that an upload whose Content-Length cannot fit
// is refused before one byte of the body is read.
func TestQuotaByContentLength(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) { c.Quotas = map[string]int64{"free": 1 << 20, "pro": 0} })
		ann := e.user(t, "free")
		first := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.txt", data: text(300 << 10)})
		before := e.state(t)

		for _, tc := range []struct {
			name, query string
			size        int64
			code        string
		}{
			{"over the quota", "?purpose=attachment", 900 << 10, "QUOTA_EXCEEDED"},
			{"over the purpose's limit", "?purpose=cover", 11 << 20, "PAYLOAD_TOO_LARGE"},
			{"over every purpose's limit", "", 26 << 20, "PAYLOAD_TOO_LARGE"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body, ct, n := upload{name: "big.txt", file: &textReader{n: proseLen(tc.size)}, size: proseLen(tc.size)}.body(t)
				cb := &countingBody{r: body}
				req := httptest.NewRequest(http.MethodPost, "/api/upload"+tc.query, cb)
				req.ContentLength = n
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", "Bearer "+ann)
				rec := httptest.NewRecorder()
				e.handler.ServeHTTP(rec, req)
				r := readResponse(t, rec.Result())
				if r.status != http.StatusRequestEntityTooLarge || r.code() != tc.code {
					t.Fatalf("upload of %d bytes: %s, want 413 %s", n, r, tc.code)
				}
				if got := cb.n.Load(); got != 0 {
					t.Errorf("the server read %d bytes of a body it refused by its Content-Length, want 0", got)
				}
				if tc.code == "QUOTA_EXCEEDED" && !strings.Contains(r.env.Error.Message, "of 1 MiB used on the free plan") {
					t.Errorf("quota message %q does not say what is used of what", r.env.Error.Message)
				}
			})
		}

		// Over the network, a client that sends Content-Length gets the 413 too.
		r := e.upload(t, ann, upload{query: "?purpose=attachment", name: "big.txt", file: &textReader{n: proseLen(3 << 20)}, size: proseLen(3 << 20)})
		if r.status != http.StatusRequestEntityTooLarge || r.code() != "QUOTA_EXCEEDED" {
			t.Errorf("network upload over the quota: %s, want 413 QUOTA_EXCEEDED", r)
		}
		e.wantState(t, before)
		if u := e.usage(t, ann); u.UsedBytes != first.Size || *u.AvailableBytes != 1<<20-first.Size {
			t.Errorf("usage after refusals: %+v, want %d used", u, first.Size)
		}

		// An unlimited tier (quota 0) is not refused.
		rich := e.user(t, "pro")
		e.mustUpload(t, rich, upload{query: "?purpose=attachment", name: "big.txt", file: &textReader{n: proseLen(3 << 20)}, size: proseLen(3 << 20)})
		if u := e.usage(t, rich); u.QuotaBytes != nil || u.AvailableBytes != nil {
			t.Errorf("usage of an unlimited tier: %+v, want null quota", u)
		}
	})
}

// TestQuotaMidStream sends bodies without a Content-Length, so the limits can
// only be found while streaming; the upload must stop there and leave nothing.
func TestQuotaMidStream(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) { c.Quotas = map[string]int64{"free": 1 << 20, "enterprise": 0} })
		ann := e.user(t, "free")
		first := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "a.txt", data: text(300 << 10), chunked: true})
		before := e.state(t)
		for _, tc := range []struct {
			name, query string
			file        io.Reader
			code        string
		}{
			{"quota", "?purpose=attachment", &textReader{n: proseLen(3 << 20)}, "QUOTA_EXCEEDED"},
			{"purpose limit", "?purpose=cover", io.MultiReader(strings.NewReader(string(pngFile(t, 200, 300))), &textReader{n: 11 << 20}), "PAYLOAD_TOO_LARGE"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				who := ann
				if tc.code == "PAYLOAD_TOO_LARGE" {
					who = e.user(t, "enterprise") // unlimited, so only the size limit can stop it
				}
				r := e.upload(t, who, upload{query: tc.query, name: "big", file: tc.file, chunked: true})
				if r.status != http.StatusRequestEntityTooLarge || r.code() != tc.code {
					t.Fatalf("chunked upload: %s, want 413 %s", r, tc.code)
				}
				e.wantState(t, before)
			})
		}
		if u := e.usage(t, ann); u.UsedBytes != first.Size || u.Files != 1 {
			t.Errorf("usage after the aborted uploads: %+v, want %d bytes in 1 file", u, first.Size)
		}
	})
}

// TestQuotaConcurrentUploads starts two uploads that each fit the remaining quota
// but not together: exactly one may succeed.
func TestQuotaConcurrentUploads(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) { c.Quotas = map[string]int64{"free": 1 << 20} })
		ann := e.user(t, "free")
		size := proseLen(600 << 10)
		// Both bodies are held at the gate until both uploads have begun.
		gate := make(chan struct{})
		var wg sync.WaitGroup
		results := make([]*response, 2)
		for i := range results {
			wg.Go(func() {
				file := io.MultiReader(&textReader{n: 100 << 10}, gated{gate}, &textReader{n: size - 100<<10})
				results[i] = e.upload(t, ann, upload{query: "?purpose=attachment", name: "half.txt", file: file, chunked: true})
			})
		}
		time.Sleep(300 * time.Millisecond)
		close(gate)
		wg.Wait()
		created := 0
		for _, r := range results {
			switch {
			case r.status == http.StatusCreated:
				created++
			case r.status != http.StatusRequestEntityTooLarge || r.code() != "QUOTA_EXCEEDED":
				t.Errorf("concurrent upload: %s, want 201 or 413 QUOTA_EXCEEDED", r)
			}
		}
		if created != 1 {
			t.Errorf("%d of two uploads that do not fit together succeeded, want 1", created)
		}
		if u := e.usage(t, ann); u.UsedBytes != size || u.Files != 1 {
			t.Errorf("usage: %+v, want %d bytes in 1 file", u, size)
		}
		if st := e.state(t); len(st.keys) != 1 || st.rows != 1 {
			t.Errorf("after the race: %d objects, %d rows; want 1 and 1", len(st.keys), st.rows)
		}
	})
}

// gated blocks its first read until the gate closes, then reads nothing.
type gated struct{ gate chan struct{} }

func (g gated) Read([]byte) (int, error) {
	<-g.gate
	return 0, io.EOF
}

// TestStreamingMemory uploads a 30 MiB file and checks that the process
// allocated and held far less than that: the body streams to the store.
func TestStreamingMemory(t *testing.T) {
	forEachSetup(t, func(t *testing.T, s setup) {
		e := s.newEnv(t, func(c *Config) {
			c.MaxSize = map[Purpose]int64{PurposeAttachment: 64 << 20}
			c.Quotas = map[string]int64{"free": 1 << 30}
		})
		ann := e.user(t, "free")
		size := proseLen(30 << 20)
		// Warm up connections, pools and the database before measuring.
		e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "warm.txt", data: text(64 << 10)})

		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		go func() {
			defer close(sampled)
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		start := time.Now()
		v := e.mustUpload(t, ann, upload{query: "?purpose=attachment", name: "novel.txt", file: &textReader{n: size}, size: size})
		took := time.Since(start)
		close(stop)
		<-sampled
		var after runtime.MemStats
		runtime.ReadMemStats(&after)

		if v.Size != size {
			t.Fatalf("stored %d bytes, want %d", v.Size, size)
		}
		allocated := after.TotalAlloc - before.TotalAlloc
		held := int64(peak.Load()) - int64(before.HeapInuse)
		t.Logf("%s: 30 MiB upload in %v; allocated %.1f MiB, peak heap in use +%.1f MiB",
			s.backend, took.Round(time.Millisecond), float64(allocated)/(1<<20), float64(held)/(1<<20))
		// The local store needs only copy buffers. The S3 store holds a multipart
		// part (5 MiB) at a time, and its client's request signing leaves
		// short-lived garbage of a sixth to a fifth of what it sends; what it holds
		// does not grow with the file.
		maxAlloc, maxHeld := uint64(4<<20), int64(4<<20)
		if s.backend == "s3" {
			maxAlloc, maxHeld = uint64(size*2/3), 16<<20
		}
		if allocated > maxAlloc || held > maxHeld {
			t.Errorf("a %d MiB upload allocated %.1f MiB (want under %.0f) and raised the heap by %.1f MiB (want under %d)",
				size>>20, float64(allocated)/(1<<20), float64(maxAlloc)/(1<<20), float64(held)/(1<<20), maxHeld>>20)
		}

		// And the bytes arrived intact.
		r := e.do(t, http.MethodGet, v.URL, ann, map[string]string{"Range": "bytes=" + itoa64(size-int64(len(prose))) + "-"})
		if string(r.body) != prose {
			t.Errorf("last line of the stored file = %q, want %q", r.body, prose)
		}
		var u Usage
		if err := json.Unmarshal(e.do(t, http.MethodGet, "/api/storage/usage", ann, nil).env.Data, &u); err != nil {
			t.Fatal(err)
		}
		if u.UsedBytes != size+proseLen(64<<10) || u.ByPurpose[PurposeAttachment].Files != 2 {
			t.Errorf("GET /api/storage/usage = %+v", u)
		}
	})
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
